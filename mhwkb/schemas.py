"""Schemas of every data file, as pydantic models.

One model per kind of record (a recommendation and its assessments are in
``mhwkb.recommendation_schema``, the field types in ``mhwkb.fields``, units and rating scales
in ``mhwkb.scales``); every field says what it means (the data dictionary,
``data/DICTIONARY.md``, is generated from these descriptions). Cross-file links (a source key
in the bibliography, an indicator id, a record id) and bounds that depend on a unit are
checked in ``mhwkb.validate``, which knows all the files.
"""

from typing import Literal

from pydantic import (
    Field,
    field_validator,
    model_validator,
)

from mhwkb.fields import (
    REPORT_PUBLISHED,
    BreakdownName,
    Day,
    EventDate,
    Frequency,
    Id,
    Number,
    Period,
    Qualifier,
    Status,
    Strict,
    Text,
    Unit,
    View,
    WholeNumber,
    after_the_report,
    period_sort_key,
    refuse_at,
)


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
    views: list[View] = Field(
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
