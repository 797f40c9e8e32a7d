"""The field types every data file shares: ids, text, numbers, periods and dates, each with the
check that refuses a malformed value, and ``Strict``, the base of every record, which refuses
unknown fields and text a spreadsheet would run as a formula."""

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

from mhwkb.scales import QUALIFIERS, UNITS

SLUG = r"^[a-z][a-z0-9_]*$"


_SINGLE = r"\d{4}(-\d{2}(-\d{2})?)?|\d{4}/\d{2}"


PERIOD = re.compile(rf"^({_SINGLE})(\.\.({_SINGLE}))?$")


NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a period or a date may fall in
REPORT_PUBLISHED = date(2017, 9, 1)  # the report's publication: the date of its status entry


PLACED = "placed"  # the type of a validator's error that places each problem inside the value


Qualifier = Annotated[
    Literal[("", *QUALIFIERS)],
    Field(
        description="how the source qualifies a figure it prints as approximate (over, around, "
        "nearly, ...), shown before the value; blank for a figure printed as exact"
    ),
]


def same_words(a: str, b: str) -> bool:
    """Whether two sentences are the same words: spacing, case and a final full stop aside."""

    def norm(x: str) -> str:
        return " ".join(x.split()).rstrip(".").casefold()

    return norm(a) == norm(b)


Unit = Literal[tuple(UNITS)]


Status = Literal["final", "provisional", "experimental", "estimate"]


Frequency = Literal["monthly", "quarterly", "annual", "irregular", "one-off"]


BreakdownName = Literal["country", "group", "subgroup"]


BREAKDOWNS: tuple[str, ...] = ("country", "group", "subgroup")


def period_sort_key(period: str) -> str:
    """A key that orders periods in time: ``2015/16`` sorts as April 2015."""
    start = period.split("..")[0]
    if "/" in start:
        return f"{start[:4]}-04"
    return start


def _bounds(part: str) -> tuple[date, date]:
    """The first and last day of a single period."""
    year = int(part[:4])
    if "/" in part:  # a financial year: April to March
        return date(year, 4, 1), date(year + 1, 3, 31)
    if len(part) == 4:
        return date(year, 1, 1), date(year, 12, 31)
    if len(part) == 7:
        month = int(part[5:7])
        last = date(year + month // 12, month % 12 + 1, 1) - date.resolution
        return date(year, month, 1), last
    day = date.fromisoformat(part)
    return day, day


def period_start(period: str) -> date:
    return _bounds(period.split("..")[0])[0]


def period_end(period: str) -> date:
    """The last day of a period: a deadline of 2020/21 is 31 March 2021."""
    return _bounds(period.split("..")[-1])[1]


def after_the_report(period: str) -> bool:
    """Whether a period starts after the month the report was published in (September 2017)."""
    return period_start(period) > period_end(REPORT_PUBLISHED.isoformat()[:7])


def period_date(period: str) -> date:
    """Where a period sits on a time axis: its middle day (a month on the 15th or 16th, a year
    on 2 July, a financial year on 30 September, a range half-way between its ends)."""
    start, end = period_start(period), period_end(period)
    return start + (end - start) // 2


def out_of_order(keys: list) -> dict[int, int | None]:
    """The entries to move to put ``keys`` in order, each with the entry it belongs after (None:
    first). They are the entries outside the longest run already in order (the earliest run,
    when there are several), so one misplaced entry is one move."""
    n = len(keys)
    longest = [1] * n  # the longest run in order that starts at each entry
    for i in reversed(range(n)):
        longest[i] += max((longest[j] for j in range(i + 1, n) if keys[j] >= keys[i]), default=0)
    kept, need = [], max(longest, default=0)
    for i in range(n):
        if longest[i] == need and (not kept or keys[i] >= keys[kept[-1]]):
            kept.append(i)
            need -= 1
    moves = {}
    for i in sorted(set(range(n)) - set(kept)):
        before = [k for k in kept if keys[k] <= keys[i]]
        moves[i] = before[-1] if before else None
    return moves


def refuse_at(problems: list[tuple[tuple, str]]) -> None:
    """Refuse a value with each problem at its own place inside it: ``((2, "date"), why)`` is
    the date of its third entry (``mhwkb.parse`` reports each at its line)."""
    if problems:
        why = "; ".join(message for _, message in problems)
        raise PydanticCustomError(PLACED, "{why}", {"why": why, "problems": problems})


def _check_single(part: str) -> None:
    year = int(part[:4])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"'{part}': the year {year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    if "/" in part:
        if int(part[5:]) != (year + 1) % 100:
            raise ValueError(
                f"'{part}' is not a financial year: the second year must follow the first"
            )
    elif len(part) == 7 and not 1 <= int(part[5:]) <= 12:
        raise ValueError(f"'{part}': there is no month {part[5:]}")
    elif len(part) == 10:
        try:
            date.fromisoformat(part)
        except ValueError:
            raise ValueError(f"'{part}' is not a date in the calendar") from None


def check_period(value: str) -> str:
    if not PERIOD.match(value):
        raise ValueError(
            f"'{value}' is not a period; write 2016, 2016-10, 2016-10-31, 2015/16 (financial year) "
            "or a range such as 2016-09..2016-11"
        )
    parts = value.split("..")
    for part in parts:
        _check_single(part)
    if len(parts) == 2 and period_sort_key(parts[0]) > period_sort_key(parts[1]):
        raise ValueError(f"'{value}' ends before it starts")
    return value


def decimals_of(text) -> int:
    """How many decimals a number is written with: 5.20 has 2, 8819 has none."""
    text = str(text).strip().lower().split("e")[0]
    return len(text.split(".", 1)[1]) if "." in text else 0


def _plain_number(value):
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError("a number is needed")
    if isinstance(value, str) and not NUMBER.match(value.strip()):
        raise ValueError(
            "not a plain number; write digits only, such as 8819 or 13.6 "
            "(no commas, spaces, units or % sign)"
        )
    return value


def _year_as_text(value):
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _day(value):
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not DAY.match(value.strip()):
        raise ValueError("write a date as YYYY-MM-DD, such as 2017-09-01")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a date in the calendar") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"the year {day.year} is not between {FIRST_YEAR} and {LAST_YEAR}")
    return day


def check_event_date(value: str) -> str:
    """An event's date as precise as its source prints it (2018, 2018-07 or 2018-07-05),
    not in the future."""
    if not DAY.match(value) and not re.match(r"^\d{4}(-\d{2})?$", value):
        raise ValueError(
            f"'{value}' is not a date; write 2018, 2018-07 or 2018-07-05, as precise as the "
            "source prints it"
        )
    _check_single(value)
    if value > date.today().isoformat()[: len(value)]:
        raise ValueError(f"{value} is in the future")
    return value


Id = Annotated[str, Field(pattern=SLUG)]


Text = Annotated[str, Field(min_length=1)]


Number = Annotated[float, BeforeValidator(_plain_number)]


WholeNumber = Annotated[int, Field(strict=True)]


Period = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(check_period)]


Day = Annotated[date, BeforeValidator(_day)]


EventDate = Annotated[str, BeforeValidator(_year_as_text), AfterValidator(check_event_date)]


# What a spreadsheet reads as the start of a formula when a cell begins with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula: it begins with =, +, -, @, a tab
    or a carriage return, and is not a number (-8 and -10,000 are numbers)."""
    return text.startswith(FORMULA_START) and not NUMBER.match(text.strip().replace(",", ""))


def _no_formula(value):
    for text in value if isinstance(value, list) else [value]:
        if isinstance(text, str) and formula_like(text):
            raise ValueError(
                f"begins with {text[:1]!r}, which a spreadsheet would run as a formula when the "
                "data are opened in one; start the text with a word"
            )
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)

    _formula = field_validator("*", mode="before")(lambda v: _no_formula(v))


class View(Strict):
    """What one source says where sources disagree about a recommendation's progress."""

    source: Text = Field(description="citation key in references.bib")
    says: Text = Field(description="what it says, in the knowledge base's words")
