"""The schema of a recommendation: what the report asked, of whom and on what evidence, its
assessments over time by the published rating method (a status, its criterion, the confidence
the evidence gives, the views where sources disagree) and the official response."""

from datetime import date
from typing import Literal

from pydantic import (
    Field,
    field_validator,
)

from mhwkb.fields import (
    REPORT_PUBLISHED,
    Day,
    Id,
    Strict,
    Text,
    View,
    WholeNumber,
    out_of_order,
    refuse_at,
    same_words,
)
from mhwkb.scales import (
    CONFIDENCE,
    FORMER_STATUSES,
    NEEDS_STRONG_EVIDENCE,
    STATUSES,
    STRONG_EVIDENCE,
    WEAK_EVIDENCE_CEILING,
)
from mhwkb.schemas import Link


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
