"""Schemas of every data file, as pydantic models.

One model per kind of record; every field says what it means (the data dictionary,
``data/DICTIONARY.md``, is generated from these descriptions). Cross-file links (a source key
in the bibliography, an indicator id, a record id) and bounds that depend on a unit are
checked in ``mhwkb.validate``, which knows all the files.
"""

import re
from datetime import date
from typing import Annotated, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

SLUG = r"^[a-z][a-z0-9_]*$"
FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a period or a date may fall in
_SINGLE = r"\d{4}(-\d{2}(-\d{2})?)?|\d{4}/\d{2}"
PERIOD = re.compile(rf"^({_SINGLE})(\.\.({_SINGLE}))?$")
NUMBER = re.compile(r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REPORT_PUBLISHED = date(2017, 9, 1)  # the report's publication: the date of its status entry
PLACED = "placed"  # the type of a validator's error that places each problem inside the value


class UnitLabel(NamedTuple):
    """How a unit is written: ``short`` after a number (8,819 FTE), ``long`` in words and on axes."""

    short: str
    long: str
    one: str = ""  # the short label after the number 1, where it differs: 1 person, 1 year


UNITS: dict[str, UnitLabel] = {
    "fte": UnitLabel("FTE", "full-time equivalent staff (FTE)"),
    "headcount": UnitLabel("people", "people (headcount)", "person"),
    "jobs": UnitLabel("jobs", "jobs", "job"),
    "posts": UnitLabel("posts", "posts", "post"),
    "places": UnitLabel("places", "places", "place"),
    "count": UnitLabel("", "number"),
    "percent": UnitLabel("%", "per cent"),
    "percent_change": UnitLabel("% change", "per cent change"),
    "percentage_points": UnitLabel("", "percentage points"),  # fmt writes the words
    "per_100k": UnitLabel("per 100,000 population", "per 100,000 population"),
    "gbp": UnitLabel("", "pounds sterling"),
    "years": UnitLabel("years", "years", "year"),
    "minutes": UnitLabel("minutes", "minutes", "minute"),
    "hours": UnitLabel("hours", "hours", "hour"),
    "weeks": UnitLabel("weeks", "weeks", "week"),
    "months": UnitLabel("months", "months", "month"),
    "km": UnitLabel("km", "kilometres"),
    "ratio": UnitLabel("", "ratio"),
    "net_change": UnitLabel("", "net change in number"),
}
# The values a figure in each unit may take: wider than any real figure, narrow enough to catch
# a slip (a percentage of 140, a negative headcount, an FTE of 1e15). Changes and differences
# have units of their own and may be negative.
UNIT_RANGES: dict[str, tuple[float, float]] = {
    "fte": (0, 10_000_000),
    "headcount": (0, 100_000_000),
    "jobs": (0, 100_000_000),
    "posts": (0, 10_000_000),
    "places": (0, 10_000_000),
    "count": (0, 10_000_000_000),
    "percent": (0, 100),
    "percent_change": (-100, 10_000),
    "percentage_points": (-100, 100),
    "per_100k": (0, 100_000),
    "gbp": (0, 10_000_000_000_000),
    "years": (0, 150),
    "minutes": (0, 60 * 24 * 366),
    "hours": (0, 24 * 366),
    "weeks": (0, 53 * 150),
    "months": (0, 12 * 150),
    "km": (0, 50_000),
    "ratio": (0, 1_000_000),
    "net_change": (-100_000_000, 100_000_000),
}
# How a source qualifies a figure it prints as approximate ("over 1,000"): shown before the value.
QUALIFIERS = (
    "over",
    "just over",
    "more than",
    "at least",
    "around",
    "about",
    "approximately",
    "nearly",
)
Qualifier = Annotated[
    Literal[("", *QUALIFIERS)],
    Field(
        description="how the source qualifies a figure it prints as approximate (over, around, "
        "nearly, ...), shown before the value; blank for a figure printed as exact"
    ),
]
COUNT_UNITS = {"fte", "headcount", "jobs", "posts", "places", "count"}


class Rating(NamedTuple):
    """A step of a published scale: its ``label`` as shown and its ``criterion``, one sentence."""

    label: str
    criterion: str


# How far a recommendation has got: the rating scale, in order, each step with the one sentence
# an assessment must meet (the About the data page, the data dictionary, the pages and the
# validator all read it from here).
STATUSES: dict[str, Rating] = {
    "published": Rating(
        "Published", "The report made the recommendation and it has not yet been assessed."
    ),
    "no_action_found": Rating(
        "No action found",
        "A search of published sources found no action on what the recommendation asks.",
    ),
    "action_announced": Rating(
        "Action announced",
        "A plan, guidance, commitment or funding for what the recommendation asks has been "
        "published, but no source shows it reaching services, staff or students yet.",
    ),
    "under_way": Rating(
        "Under way",
        "Action on what the recommendation asks has reached some services, staff or students, "
        "but it covers only part of what is asked.",
    ),
    "substantially_done": Rating(
        "Substantially done",
        "Most of what the recommendation asks is in place across England, and what is still "
        "missing is named.",
    ),
    "achieved": Rating(
        "Achieved", "Everything the recommendation asks is in place across England."
    ),
    "superseded": Rating(
        "Superseded",
        "Later policy or a change in how services are organised has replaced the recommendation "
        "or made it moot.",
    ),
}
# Ratings of the earlier scale (to November 2026) and the closest step of the present one.
FORMER_STATUSES = {
    "no_evidence": "no_action_found",
    "some_progress": "under_way",
    "substantial_progress": "substantially_done",
}
# How strong the evidence behind a rating is, strongest first.
CONFIDENCE: dict[str, Rating] = {
    "independent_evaluation": Rating(
        "Independent evaluation",
        "An audit, inquiry, investigation or research study by a body that is not responsible "
        "for the action, such as the National Audit Office, a parliamentary committee or its "
        "expert panel, an investigation body or a university.",
    ),
    "official_statistics": Rating(
        "Official statistics",
        "Figures published as official statistics that count what the rating gives credit for.",
    ),
    "own_reports": Rating(
        "The responsible body's own reports",
        "What a body responsible for the action says of its own work: its announcements, web "
        "pages, board papers, course pages or ministers' answers.",
    ),
    "press": Rating(
        "Press and commentary",
        "News and trade journals, and statements by professional bodies, charities or "
        "campaigns, with no official or independent source behind them.",
    ),
}
# The ratings that need strong evidence, and the evidence that is strong enough for them.
NEEDS_STRONG_EVIDENCE = ("substantially_done", "achieved")
STRONG_EVIDENCE = ("independent_evaluation", "official_statistics")
WEAK_EVIDENCE_CEILING = "under_way"  # the highest rating on other evidence


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


def out_of_range(value: float, unit: str) -> str | None:
    """Why ``value`` is not plausible in ``unit``, or None when it is."""
    low, high = UNIT_RANGES[unit]
    if low <= value <= high:
        return None
    if value < low == 0:
        return f"a figure in {unit} cannot be negative (got {value:g})"
    return f"{value:g} is outside the plausible range for {unit} ({low:,g} to {high:,g})"


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


class Breakdown(Strict):
    """A breakdown column an indicator uses, with its allowed values."""

    label: Text = Field(description="the breakdown's name as readers see it")
    values: dict[Id, Text] = Field(
        min_length=1, description="allowed values: the id used in the data and its label"
    )
    additive: bool = Field(
        True,
        description="whether its values add up to a total (staff groups do; applications "
        "and places, or posts and vacancies, do not)",
    )
    headline: Id | None = Field(
        None,
        description="the value that stands for the whole indicator in a single figure (the "
        "dashboard, the landing page) when the values do not add up or are rates",
    )

    @model_validator(mode="after")
    def _headline_is_a_value(self):
        if self.headline is not None and self.headline not in self.values:
            raise ValueError(
                f"headline '{self.headline}' is not one of the values ({', '.join(self.values)})"
            )
        return self


class Series(Strict):
    """Another definition of the same measure, kept apart from the main series."""

    label: Text = Field(description="the series' name as readers see it")
    definition: Text = Field(description="what the series counts and how")
    comparability: str = Field(min_length=10, description="how it differs from the main series")
    unit: Unit | None = Field(
        None,
        description="the series' own unit when it differs from the indicator's "
        "(a headcount series of an FTE indicator)",
    )
    proxy: bool = Field(
        False, description="true when an NHS-wide or other figure stands in for the measure"
    )
    lower_bound: bool = Field(
        False,
        description="true when it counts a part of what the main series counts (it leaves some "
        "staff out), so it can only be smaller than the main series would be",
    )


class Target(Strict):
    """A policy commitment the indicator is measured against, on its own baseline."""

    id: Id = Field(description="unique id of the target")
    label: Text = Field(description="the commitment in words")
    kind: Literal["increase", "level"] = Field(
        description="an increase over the baseline, or a level to reach"
    )
    value: Number = Field(
        ge=0,
        description="the increase or the level",
        json_schema_extra={"unit": "unit"},
    )
    unit: Unit = Field(
        description="what the target counts in; the unit of the series that measures it"
    )
    series: str = Field(
        "",
        description="the series of the indicator that counts what the target counts; blank: main",
    )
    measurable: bool = Field(
        True,
        description="false when no series here counts what the target counts (its progress "
        "cannot be told here; it may then have another unit)",
    )
    baseline_period: Period | None = Field(
        None, description="the period the increase is counted from (required for an increase)"
    )
    baseline_value: Number | None = Field(
        None,
        description="the baseline as the source of the target prints it; blank: the series' "
        "figure in the baseline period",
        json_schema_extra={"unit": "unit"},
    )
    baseline_source: str | None = Field(
        None, description="citation key of the baseline, when not the target's own source"
    )
    cumulative_with: Id | None = Field(
        None,
        description="an earlier target of the same indicator this one comes on top of: its "
        "baseline is that target's and its level adds both increases",
    )
    deadline: Period | None = Field(
        None, description="the period by which it should be met; blank when the source gives none"
    )
    source: Text = Field(description="citation key in references.bib")
    note: str = Field("", description="anything a reader needs to know about the target")
    views: list["View"] = Field(
        [], description="what other sources say of its progress, each with its source"
    )

    @model_validator(mode="after")
    def _baseline(self):
        if (
            self.kind == "increase"
            and self.baseline_period is None
            and self.cumulative_with is None
            and self.measurable
        ):
            raise ValueError(
                "an increase needs its baseline_period (the period it is counted from), or "
                "cumulative_with naming the earlier target it comes on top of, or "
                "measurable: false when its source states no baseline"
            )
        if self.baseline_value is not None and self.baseline_period is None:
            raise ValueError("a baseline_value needs its baseline_period")
        if (
            self.baseline_period
            and self.deadline
            and period_sort_key(self.deadline) < period_sort_key(self.baseline_period)
        ):
            raise ValueError(
                f"the deadline {self.deadline} comes before the baseline {self.baseline_period}"
            )
        return self


class Release(Strict):
    """When the source of an indicator is next due to publish, as a stated source says."""

    date: Day = Field(description="the day the next release is due")
    source: Text = Field(description="citation key of the release calendar or notice giving it")


class Indicator(Strict):
    """An indicator: what a series of observations measures."""

    id: Id = Field(description="unique id, used in observations.csv")
    title: Text = Field(description="what it measures, as a heading")
    unit: Unit = Field(description="the unit of its values (see the list of units)")
    definition: Text = Field(description="what is counted, by whom and how")
    geography: Text = Field(description="the area covered, such as England")
    source: Text = Field(description="citation key of the main source in references.bib")
    frequency: Frequency = Field(description="how often the source publishes it")
    notes: str = Field("", description="caveats a reader should know")
    main_label: str = Field(
        "",
        description="what the main series counts, in a few words, where a series on another "
        "definition is compared instead",
    )
    policy: str = Field("", description="why it matters for the recommendations")
    better: Literal["higher", "lower"] | None = Field(
        None, description="which way is better for the workforce (lower sickness absence)"
    )
    breakdowns: dict[BreakdownName, Breakdown] = Field(
        {}, description="the breakdown columns its observations use"
    )
    series: dict[Id, Series] = Field(
        {}, description="other definitions of the same measure, by series id"
    )
    targets: list[Target] = Field([], description="policy commitments it is measured against")
    next_release: Release | None = Field(
        None, description="when the source next publishes it, and who says so"
    )

    def series_unit(self, series: str = "") -> str:
        """The unit of one of its series: the series' own unit, else the indicator's."""
        own = self.series[series].unit if series in self.series else None
        return own or self.unit


class Observation(Strict):
    """One value of one indicator, series, period and breakdown."""

    indicator: Id = Field(description="id of the indicator in indicators.yaml")
    series: str = Field("", description="a series declared under the indicator; blank: main")
    period: Period = Field(description="when: 2016, 2016-10, 2016-10-31, 2015/16 or a range")
    country: str = Field("", description="breakdown value, blank for all")
    group: str = Field("", description="breakdown value, blank for all")
    subgroup: str = Field("", description="breakdown value, blank for all")
    value: Number = Field(
        description="the figure, a plain number",
        json_schema_extra={"unit": "the indicator's unit, or its series' unit"},
    )
    status: Status = Field(description="how settled the figure is")
    source: Text = Field(description="citation key in references.bib")
    note: str = Field("", description="caveats, such as rounding or an approximate figure")
    qualifier: Qualifier = ""

    def key(self) -> tuple:
        return (self.indicator, self.series, self.period, self.country, self.group, self.subgroup)


OBSERVATION_COLUMNS = list(Observation.model_fields)


class Fact(Strict):
    """A single figure the report states about a subject: a record, an indicator or a chapter."""

    id: Id = Field(description="unique id, used by chapters to show it")
    subject: Id = Field(description="a record id, an indicator id or a chapter name")
    label: Text = Field(description="what the figure is, in a sentence")
    value: Number = Field(
        description="the figure, a plain number", json_schema_extra={"unit": "unit"}
    )
    unit: Unit = Field(description="the unit of the value (see the list of units)")
    period: Period = Field(description="when the figure applies")
    geography: Text = Field(description="the area it covers, such as England")
    source: Text = Field(description="citation key in references.bib")
    note: str = Field("", description="caveats a reader should know")
    qualifier: Qualifier = ""


FACT_COLUMNS = list(Fact.model_fields)


class PrintedTotal(Strict):
    """A total as the report printed it, kept as a check on the component rows."""

    period: Period = Field(description="one of the table's periods")
    group: str = Field("", description="the subtotal's group; blank for the grand total")
    value: Number = Field(
        ge=0,
        description="the total as printed",
        json_schema_extra={"unit": "the indicator's unit"},
    )
    tolerance: Number = Field(0, ge=0, description="allowed rounding difference, explained in note")
    note: str = Field("", description="why the printed total differs from its rows")

    @model_validator(mode="after")
    def _tolerance_explained(self):
        if self.tolerance and not self.note:
            raise ValueError("a printed total with a tolerance needs a note saying why")
        return self


class Table(Strict):
    """A table printed in the report, rebuilt from component rows of observations.csv."""

    id: Id = Field(description="unique id")
    label: Text = Field(description="the table's name in the report, such as Table one")
    title: Text = Field(description="the table's caption")
    indicator: Id = Field(description="the indicator whose observations it shows")
    periods: list[Period] = Field(min_length=1, description="the periods shown, as columns")
    rows: BreakdownName = Field(description="the breakdown shown as rows")
    groups: BreakdownName | None = Field(None, description="the breakdown giving subtotals")
    source: Text = Field(description="citation key in references.bib")
    printed: list[PrintedTotal] = Field(
        min_length=1, description="totals as the report prints them"
    )


class QualityNote(Strict):
    """A slip or ambiguity in the report, shown on the page that uses the figure."""

    id: Id = Field(description="unique id")
    chapter: Id = Field(description="the chapter notebook it is shown on")
    title: Text = Field(description="the slip in a few words")
    detail: Text = Field(description="what the report says and what the data show")
    kind: Literal["arithmetic", "typo", "labelling", "citation", "ambiguity"] = Field(
        description="what sort of slip"
    )
    source: Text = Field(description="citation key in references.bib")


def oldest_first(changes: list) -> list:
    """Dated changes, refused unless in date order, oldest first."""
    if [c.date for c in changes] != sorted(c.date for c in changes):
        raise ValueError("changes must be in date order, oldest first")
    return changes


class Change(Strict):
    """A dated change to an organisation: renamed, merged, abolished, its remit passed on."""

    date: EventDate = Field(
        description="when: 2018, 2018-01 or 2018-01-08, as the source prints it"
    )
    what: Text = Field(description="what changed, in a sentence")
    became: Id | None = Field(
        None,
        description="id of the organisation that holds its remit from then on; blank when the "
        "remit stays (an announcement, a rename in part)",
    )
    source: Text = Field(description="citation key in references.bib")


class Organisation(Strict):
    """An organisation or group that recommendations are addressed to, or that took over the
    remit of one."""

    id: Id = Field(description="unique id")
    name: Text = Field(description="full name")
    kind: Literal["national_body", "regulator", "professional", "local", "none"] = Field(
        description="what sort of body"
    )
    changes: list[Change] = Field(
        [],
        description="dated changes since the report, oldest first; follow became to the body "
        "that holds its remit today",
    )

    @field_validator("changes")
    @classmethod
    def _changes_in_order(cls, v: list[Change]) -> list[Change]:
        return oldest_first(v)


ORG_CODE = r"^[A-Z0-9]{3,5}$"  # an NHS organisation code (ODS): RXT, G6V2S


class TrustChange(Strict):
    """A dated change to an NHS trust: merged, acquired, its services passed on."""

    date: EventDate = Field(
        description="when: 2018, 2018-06 or 2018-06-01, as the source prints it"
    )
    what: Text = Field(description="what changed, in a sentence")
    became: str | None = Field(
        None,
        pattern=ORG_CODE,
        description="code of the trust that took the whole trust over; blank for a change in "
        "part (some services moved)",
    )
    source: Text = Field(description="citation key in references.bib")


class Trust(Strict):
    """An NHS trust by its organisation code: the cluster NHS England puts it in today, or the
    trust it became part of. Followed through ``changes``, it tells which organisations of an
    earlier release make up a cluster's trusts today."""

    id: str = Field(pattern=ORG_CODE, description="the organisation code (ODS), such as RXT")
    name: Text = Field(description="the trust's name as the release that lists it prints it")
    cluster: str = Field(
        "",
        description="the cluster the latest release puts it in (Mental Health); blank for a "
        "trust that no longer reports under its own code",
    )
    source: Text = Field(description="citation key of the release or page that classifies it")
    changes: list[TrustChange] = Field(
        [], description="dated changes since the report, oldest first; follow became"
    )
    note: str = Field("", description="what a reader should know, such as services moved in part")

    @model_validator(mode="after")
    def _cluster_or_successor(self):
        oldest_first(self.changes)
        taken_over = any(c.became for c in self.changes)
        if self.cluster and taken_over:
            raise ValueError(
                f"a trust in the {self.cluster} cluster today was not taken over by another; "
                "give either its cluster or the trust it became"
            )
        if not self.cluster and not taken_over:
            raise ValueError("give its cluster today, or a change saying which trust it became")
        return self


class Theme(Strict):
    """One of the seven themes the report groups its recommendations under."""

    id: Id = Field(description="unique id")
    title: Text = Field(description="the theme as a heading")
    summary: Text = Field(description="one sentence on what it covers")


class Policy(Strict):
    """A policy document, plan, review or law: those the report discusses (its workforce
    commitments are facts about it) and those that came after it, in the timeline."""

    id: Id = Field(description="unique id")
    title: Text = Field(description="title as published")
    date: Period = Field(description="when it was published")
    body: Text = Field(description="who published it")
    kind: Literal["strategy", "plan", "framework", "review", "response", "legislation"] = Field(
        description="what sort of document"
    )
    summary: Text = Field(description="what it says about the workforce")
    source: Text = Field(description="citation key in references.bib")
    in_report: bool = Field(
        False, description="true for the documents the 2017 report discusses (its policy chapter)"
    )
    recommendations: list[WholeNumber] = Field(
        [], description="numbers of the recommendations it bears on"
    )
    targets: list[Id] = Field(
        [],
        description="ids of the targets in indicators.yaml that it sets (each set by one policy)",
    )

    @model_validator(mode="after")
    def _in_report_before_it(self):
        if self.in_report and after_the_report(self.date):
            month = REPORT_PUBLISHED.strftime("%B %Y")
            message = (
                f"dated {self.date}, after the report ({month}): in_report is true only for the "
                "documents the 2017 report discusses; leave it out for a later one"
            )
            refuse_at([(("in_report",), message)])
        return self


MILESTONE_KINDS = {  # what sort of event a milestone is, and how the timeline names it
    "framework": "A framework",
    "role": "A new role",
    "programme": "A programme",
    "standard": "A standard",
    "funding": "Funding",
    "legislation": "A law",
    "closure": "A closure",
    "review": "A review",
}


class Milestone(Strict):
    """A dated event since the report that bears on recommendations: a framework or standard
    published, a role or programme started, funding given or ended, a law, a review."""

    id: Id = Field(description="unique id")
    date: EventDate = Field(
        description="when: 2018, 2018-07 or 2018-07-05, as the source prints it"
    )
    title: Text = Field(description="what happened, as a heading")
    body: Text = Field(description="who did it")
    kind: Literal[tuple(MILESTONE_KINDS)] = Field(description="what sort of event")
    summary: Text = Field(description="what it is and how it bears on the recommendations")
    source: Text = Field(description="citation key in references.bib")
    recommendations: list[WholeNumber] = Field(
        min_length=1, description="numbers of the recommendations it bears on (at least one)"
    )


class Development(Strict):
    """One of the wider developments the report expects to shape the workforce."""

    id: Id = Field(description="unique id")
    number: WholeNumber = Field(ge=1, description="its number in the report")
    title: Text = Field(description="the development as a heading")
    summary: Text = Field(description="what it is and what it means for the workforce")
    sources: list[Text] = Field(min_length=1, description="citation keys in references.bib")


class ConsultationEvent(Strict):
    """A consultation event held for the report."""

    id: Id = Field(description="unique id")
    place: Text = Field(description="where it was held")
    kind: Literal["local", "national"] = Field(description="a local or a national event")
    note: str = Field("", description="anything particular about it")


class ParticipantGroup(Strict):
    """A group of people represented at the local consultation events."""

    id: Id = Field(description="unique id")
    label: Text = Field(description="the group as readers see it")


class Link(Strict):
    """A link from a record to the evidence behind it."""

    kind: str = Field(
        description="a kind of record that can be linked (mhwkb.kinds.LINKABLE; the validator "
        "checks it)"
    )
    id: Id = Field(description="the id of that record")
    note: str = Field("", description="how it bears on this record")


class Finding(Strict):
    """A theme of the consultation findings, with the recommendations it supports."""

    id: Id = Field(description="unique id")
    part: Literal[1, 2, 3] = Field(description="the part of the findings it belongs to")
    title: Text = Field(description="the finding as a heading")
    summary: Text = Field(description="what participants said, in the knowledge base's words")
    recommendations: list[WholeNumber] = Field(
        [], description="numbers of recommendations it supports"
    )
    evidence: list[Link] = Field([], description="other records that bear on it")
    sources: list[Text] = Field(min_length=1, description="citation keys in references.bib")


class BoxList(Strict):
    """One titled list in a box (the Welsh Measure's parts, then its principles)."""

    title: Text = Field(description="heading of the list")
    items: list[Text] = Field(min_length=1, description="the points it lists")


class Box(Strict):
    """A boxed text in the report (the Welsh Mental Health Measure, psychologically informed care)."""

    id: Id = Field(description="unique id")
    chapter: Id = Field(description="the chapter notebook it is shown on")
    title: Text = Field(description="the box's heading")
    summary: Text = Field(description="what it is about")
    lists: list[BoxList] = Field(min_length=1, description="its titled lists, in order")
    sources: list[Text] = Field(min_length=1, description="citation keys in references.bib")


class CaseStudy(Strict):
    """A case study; its figures are facts about it."""

    id: Id = Field(description="unique id")
    number: WholeNumber = Field(ge=1, description="its number in the report")
    title: Text = Field(description="the case study as a heading")
    organisation: Text = Field(description="who runs the service")
    place: Text = Field(description="where")
    partners: list[Text] = Field([], description="organisations it works with")
    shows: Text = Field(description="what it shows, in a sentence")
    summary: Text = Field(description="what the service does")
    recommendations: list[WholeNumber] = Field(
        [], description="numbers of recommendations it bears on"
    )
    sources: list[Text] = Field(min_length=1, description="citation keys in references.bib")


class RelatedStudy(Strict):
    """A study beyond the report that bears on its recommendations."""

    id: Id = Field(description="unique id")
    title: Text = Field(description="title as published")
    kind: Text = Field(description="what sort of study, such as Programme evaluation")
    source: Text = Field(description="citation key in references.bib")
    summary: Text = Field(description="what was studied and how")
    findings: list[Text] = Field(min_length=1, description="what it found, point by point")
    recommendations: list[WholeNumber] = Field(
        min_length=1, description="numbers of recommendations it bears on"
    )


class View(Strict):
    """What one source says where sources disagree about a recommendation's progress."""

    source: Text = Field(description="citation key in references.bib")
    says: Text = Field(description="what it says, in the knowledge base's words")


class StatusEntry(Strict):
    """An assessment of a recommendation's progress on a date, by the published rating method."""

    date: Day = Field(description="when it was assessed, YYYY-MM-DD, not in the future")
    status: Literal[tuple(STATUSES)] = Field(
        description="the rating, a step of the scale (criteria in the Status ratings table above "
        "and on the About the data page)"
    )
    criterion: str | None = Field(
        None,
        description="the criterion of its status, quoted as the scale gives it (required after "
        "the first entry)",
    )
    confidence: Literal[tuple(CONFIDENCE)] | None = Field(
        None,
        description="the strongest kind of evidence behind the progress the rating gives credit "
        "for, or for no_action_found behind the gap it reports (Confidence table above; required "
        "after the first entry)",
    )
    note: Text = Field(description="what happened and why it counts as this status")
    sources: list[Text] = Field(
        min_length=1, description="citation keys in references.bib of the sources it rests on"
    )
    evidence: list[Link] = Field(
        [], description="records it rests on: indicators, policies, milestones, findings, ..."
    )
    views: list[View] = Field(
        [],
        description="where sources disagree: what each says, at least two, each from a source "
        "in the entry's sources",
    )
    assessed_by: Text = Field(description="who made the assessment")

    @field_validator("status", mode="before")
    @classmethod
    def _former_scale(cls, v):
        if isinstance(v, str) and v in FORMER_STATUSES:
            raise ValueError(
                f"'{v}' is a rating of the earlier scale; the closest step of the present one is "
                f"{FORMER_STATUSES[v]}, whose criterion is: {STATUSES[FORMER_STATUSES[v]].criterion}"
            )
        return v

    @field_validator("date")
    @classmethod
    def _not_future(cls, v: date) -> date:
        if v > date.today():
            raise ValueError(f"{v} is in the future")
        return v


class Response(Strict):
    """The official response to a recommendation."""

    status: Literal["accepted", "accepted_in_principle", "not_accepted", "no_response_recorded"] = (
        Field(description="how it was received")
    )
    note: Text = Field(description="what the response said")
    source: str | None = Field(None, description="citation key in references.bib")


class Recommendation(Strict):
    """One of the report's 22 recommendations, with its evidence, indicators and progress."""

    id: Id = Field(description="unique id, such as rec01")
    number: WholeNumber = Field(ge=1, le=22, description="its number in the report, 1 to 22")
    theme: Id = Field(description="id of its theme in themes.yaml")
    title: Text = Field(description="title as in the report's summary list")
    paraphrase: Text = Field(description="the recommendation in the knowledge base's words")
    addressees: list[Id] = Field(
        min_length=1, description="ids of organisations in organisations.yaml"
    )
    evidence: list[Link] = Field(min_length=1, description="records that support it")
    indicators: list[Id] = Field([], description="ids of indicators that measure it")
    status: list[StatusEntry] = Field(
        min_length=1, description="progress assessments, oldest first"
    )
    response: Response = Field(description="the official response")

    @field_validator("status")
    @classmethod
    def _a_history(cls, v: list[StatusEntry]) -> list[StatusEntry]:
        refuse_at(_status_problems(v))
        return v


def _rating_problems(i: int, entry: StatusEntry) -> list[tuple[tuple, str]]:
    """What is wrong with how a later entry is rated: its criterion must be its status's, it
    names its evidence's confidence, a strong rating rests on strong evidence, and views give
    both sides of a disagreement."""
    out = []
    wanted = STATUSES[entry.status].criterion
    if entry.criterion is None:
        out.append(
            ((i, "criterion"), f"missing: quote the criterion of {entry.status}: '{wanted}'")
        )
    elif not same_words(entry.criterion, wanted):
        other = next(
            (k for k, r in STATUSES.items() if same_words(entry.criterion, r.criterion)), None
        )
        why = (
            f"that is the criterion of {other}, not of {entry.status}: rate the entry {other}, or "
            f"quote the criterion of {entry.status}: '{wanted}'"
            if other
            else f"not the criterion of {entry.status}; quote it as the scale gives it: '{wanted}'"
        )
        out.append(((i, "criterion"), why))
    label = STATUSES[entry.status].label.casefold()
    if label in " ".join(entry.note.split()).casefold():
        out.append(
            (
                (i, "note"),
                f"the note repeats its rating ('{label}'); the page shows the rating beside the "
                "note: say instead what happened and why the criterion is met",
            )
        )
    if entry.confidence is None:
        out.append(
            (
                (i, "confidence"),
                "missing: name the strongest kind of evidence behind the rating, one of "
                + ", ".join(CONFIDENCE),
            )
        )
    elif entry.status in NEEDS_STRONG_EVIDENCE and entry.confidence not in STRONG_EVIDENCE:
        out.append(
            (
                (i, "status"),
                f"{entry.status} needs {' or '.join(STRONG_EVIDENCE)} behind it; on "
                f"{entry.confidence} a rating goes no higher than {WEAK_EVIDENCE_CEILING} (the method is on the "
                "About the data page)",
            )
        )
    if len(entry.views) == 1:
        out.append(
            (
                (i, "views"),
                "a single view: views show where sources disagree, so give at least two, each "
                "from a source the entry cites, or say it in the note",
            )
        )
    return out


def _status_problems(entries: list[StatusEntry]) -> list[tuple[tuple, str]]:
    """What is wrong with a recommendation's status entries, each at its entry: the first is
    the report itself; a later one is rated (not published), dated after the report, on a day
    of its own, and the entries are oldest first."""
    rated = ", ".join(k for k in STATUSES if k != "published")
    out = [
        (
            (i, "status"),
            f"only the first entry, the report itself, is rated published; rate a later one "
            f"{rated}",
        )
        for i, entry in enumerate(entries)
        if i and entry.status == "published"
    ]
    for i, entry in enumerate(entries):
        if i and entry.status != "published":
            out += _rating_problems(i, entry)
    first_on: dict[date, int] = {}  # each date and the first entry on it
    for i, entry in enumerate(entries):
        if i and entry.date < REPORT_PUBLISHED:
            out.append(
                (
                    (i, "date"),
                    f"{entry.date} is before the report was published ({REPORT_PUBLISHED}); a "
                    "later entry assesses progress since the report",
                )
            )
        elif entry.date in first_on:
            out.append(
                (
                    (i, "date"),
                    f"status[{first_on[entry.date]}] is also dated {entry.date}; one entry a "
                    "day: merge the two, or correct the date",
                )
            )
        else:
            first_on[entry.date] = i
    dated = list(first_on.values())
    for k, after in out_of_order([entries[i].date for i in dated]).items():
        where = (
            f"after status[{dated[after]}] ({entries[dated[after]].date})"
            if after is not None
            else "first"
        )
        out.append(
            (
                (dated[k], "date"),
                f"{entries[dated[k]].date} is out of date order: it belongs {where}; entries "
                "are listed oldest first, so the last is the current status",
            )
        )
    return out


Target.model_rebuild()
