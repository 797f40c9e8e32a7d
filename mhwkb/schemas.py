"""Schemas of every data file, as pydantic models.

One model per kind of record. Cross-file links (a source key in the bibliography, an
indicator id, a record id) are checked in ``mhwkb.validate``, which knows all the files.
"""

import re
from datetime import date
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z][a-z0-9_]*$"
_DAYS = r"(0[1-9]|[12]\d|3[01])"
_SINGLE = rf"\d{{4}}(-(0[1-9]|1[0-2])(-{_DAYS})?)?|\d{{4}}/\d{{2}}"
PERIOD = re.compile(rf"^({_SINGLE})(\.\.({_SINGLE}))?$")


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
    "percentage_points": UnitLabel("percentage points", "percentage points"),
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
COUNT_UNITS = {"fte", "headcount", "jobs", "posts", "places", "count"}
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


def check_period(value: str) -> str:
    if not PERIOD.match(value):
        raise ValueError(
            f"'{value}' is not a period; write 2016, 2016-10, 2016-10-31, 2015/16 (financial year) "
            "or a range such as 2016-09..2016-11"
        )
    for part in value.split(".."):
        if "/" in part and int(part[5:]) != (int(part[2:4]) + 1) % 100:
            raise ValueError(
                f"'{part}' is not a financial year: the second year must follow the first"
            )
    parts = value.split("..")
    if len(parts) == 2 and period_sort_key(parts[0]) > period_sort_key(parts[1]):
        raise ValueError(f"'{value}' ends before it starts")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Breakdown(Strict):
    label: str
    values: dict[str, str] = Field(min_length=1)


class Series(Strict):
    label: str
    definition: str
    comparability: str = Field(min_length=10, description="how it differs from the main series")
    unit: Unit | None = None  # when it differs from the indicator's: drawn on its own axis
    proxy: bool = False  # an NHS-wide or other stand-in for the mental health measure


class Target(Strict):
    id: str = Field(pattern=SLUG)
    label: str
    kind: Literal["increase", "level"]
    value: float = Field(ge=0)
    baseline_period: str | None = None
    deadline: str | None = Field(None, description="blank when the source states no deadline")
    source: str
    note: str = ""

    _periods = field_validator("deadline", "baseline_period")(
        lambda v: v if v is None else check_period(v)
    )


class Release(Strict):
    """When the source of an indicator is next due to publish, as a stated source says."""

    date: date
    source: str = Field(min_length=1, description="the release calendar or notice giving the date")


class Indicator(Strict):
    id: str = Field(pattern=SLUG)
    title: str
    unit: Unit
    definition: str
    geography: str
    source: str
    frequency: Frequency
    notes: str = ""
    policy: str = ""
    breakdowns: dict[BreakdownName, Breakdown] = {}
    series: dict[str, Series] = {}
    targets: list[Target] = []
    next_release: Release | None = None


class Observation(Strict):
    indicator: str = Field(pattern=SLUG)
    series: str = ""
    period: str
    country: str = ""
    group: str = ""
    subgroup: str = ""
    value: float
    status: Status
    source: str = Field(min_length=1)
    note: str = ""

    _period = field_validator("period")(lambda v: check_period(v))

    def key(self) -> tuple:
        return (self.indicator, self.series, self.period, self.country, self.group, self.subgroup)


OBSERVATION_COLUMNS = list(Observation.model_fields)


class Fact(Strict):
    """A single figure the report states about a subject: a record, an indicator or a chapter."""

    id: str = Field(pattern=SLUG)
    subject: str = Field(pattern=SLUG)
    label: str
    value: float
    unit: Unit
    period: str
    geography: str
    source: str = Field(min_length=1)
    note: str = ""

    _period = field_validator("period")(lambda v: check_period(v))


FACT_COLUMNS = list(Fact.model_fields)


class PrintedTotal(Strict):
    period: str
    group: str = ""
    value: float = Field(ge=0)
    tolerance: float = Field(0, ge=0, description="allowed rounding difference, explained in note")
    note: str = ""

    @model_validator(mode="after")
    def _tolerance_explained(self):
        if self.tolerance and not self.note:
            raise ValueError("a printed total with a tolerance needs a note saying why")
        return self


class Table(Strict):
    id: str = Field(pattern=SLUG)
    label: str
    title: str
    indicator: str
    periods: list[str] = Field(min_length=1)
    rows: BreakdownName
    groups: BreakdownName | None = None
    source: str
    printed: list[PrintedTotal] = Field(min_length=1)


class QualityNote(Strict):
    """A slip or ambiguity in the report, shown on the page that uses the figure."""

    id: str = Field(pattern=SLUG)
    chapter: str = Field(pattern=SLUG)
    title: str
    detail: str
    kind: Literal["arithmetic", "typo", "labelling", "citation", "ambiguity"]
    source: str


class Organisation(Strict):
    """An organisation or group that recommendations are addressed to."""

    id: str = Field(pattern=SLUG)
    name: str
    kind: Literal["national_body", "regulator", "professional", "local", "none"]


class Theme(Strict):
    """One of the seven themes the report groups its recommendations under."""

    id: str = Field(pattern=SLUG)
    title: str
    summary: str


class Policy(Strict):
    """A policy document in the timeline; its workforce commitments are facts about it."""

    id: str = Field(pattern=SLUG)
    title: str
    date: str
    body: str
    summary: str
    source: str

    _date = field_validator("date")(lambda v: check_period(v))


class Development(Strict):
    """One of the wider developments the report expects to shape the workforce."""

    id: str = Field(pattern=SLUG)
    number: int = Field(ge=1)
    title: str
    summary: str
    sources: list[str] = Field(min_length=1)


class ConsultationEvent(Strict):
    """A consultation event held for the report."""

    id: str = Field(pattern=SLUG)
    place: str
    kind: Literal["local", "national"]
    note: str = ""


class ParticipantGroup(Strict):
    """A group of people represented at the local consultation events."""

    id: str = Field(pattern=SLUG)
    label: str


class Link(Strict):
    kind: str = Field(description="a kind of record that can be linked (mhwkb.kinds.LINKABLE)")
    id: str = Field(pattern=SLUG)
    note: str = ""

    @field_validator("kind")
    @classmethod
    def _linkable(cls, v: str) -> str:
        from mhwkb.kinds import LINKABLE

        if v not in LINKABLE:
            raise ValueError(
                f"'{v}' is not a kind of record a link can point to; use one of: {', '.join(LINKABLE)}"
            )
        return v


class Finding(Strict):
    """A theme of the consultation findings, with the recommendations it supports."""

    id: str = Field(pattern=SLUG)
    part: Literal[1, 2, 3]
    title: str
    summary: str
    recommendations: list[int] = []
    evidence: list[Link] = []
    sources: list[str] = Field(min_length=1)


class BoxList(Strict):
    """One titled list in a box (the Welsh Measure's parts, then its principles)."""

    title: str
    items: list[str] = Field(min_length=1)


class Box(Strict):
    """A boxed text in the report (the Welsh Mental Health Measure, psychologically informed care)."""

    id: str = Field(pattern=SLUG)
    chapter: str = Field(pattern=SLUG)
    title: str
    summary: str
    lists: list[BoxList] = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class CaseStudy(Strict):
    """A case study; its figures are facts about it."""

    id: str = Field(pattern=SLUG)
    number: int = Field(ge=1)
    title: str
    organisation: str
    place: str
    partners: list[str] = []
    shows: str
    summary: str
    recommendations: list[int] = []
    sources: list[str] = Field(min_length=1)


class RelatedStudy(Strict):
    """A study beyond the report that bears on its recommendations."""

    id: str = Field(pattern=SLUG)
    title: str
    kind: str
    source: str
    summary: str
    findings: list[str] = Field(min_length=1)
    recommendations: list[int] = Field(min_length=1)


class StatusEntry(Strict):
    date: date
    status: Literal[
        "published",
        "no_evidence",
        "some_progress",
        "substantial_progress",
        "achieved",
        "superseded",
    ]
    note: str
    source: str
    assessed_by: str

    @field_validator("date")
    @classmethod
    def _not_future(cls, v: date) -> date:
        if v > date.today():
            raise ValueError(f"{v} is in the future")
        return v


class Response(Strict):
    status: Literal["accepted", "accepted_in_principle", "not_accepted", "no_response_recorded"]
    note: str
    source: str | None = None


class Recommendation(Strict):
    """One of the report's 22 recommendations, with its evidence, indicators and progress."""

    id: str = Field(pattern=SLUG)
    number: int = Field(ge=1, le=22)
    theme: str
    title: str
    paraphrase: str
    addressees: list[str] = Field(min_length=1)
    evidence: list[Link] = Field(min_length=1)
    indicators: list[str] = []
    status: list[StatusEntry] = Field(min_length=1)
    response: Response

    @field_validator("status")
    @classmethod
    def _dated_in_order(cls, v: list[StatusEntry]) -> list[StatusEntry]:
        if [s.date for s in v] != sorted(s.date for s in v):
            raise ValueError("status entries must be in date order, oldest first")
        return v
