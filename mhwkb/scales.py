"""The scales figures are measured and judged on: each unit with how it is written and the
values a figure in it may take, the words a source qualifies an approximate figure with, the
rating scale of a recommendation's progress and the strength of the evidence behind a rating.
The About the data page, the data dictionary, the pages and the validator all read them here.
"""

from typing import NamedTuple


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


def out_of_range(value: float, unit: str) -> str | None:
    """Why ``value`` is not plausible in ``unit``, or None when it is."""
    low, high = UNIT_RANGES[unit]
    if low <= value <= high:
        return None
    if value < low == 0:
        return f"a figure in {unit} cannot be negative (got {value:g})"
    return f"{value:g} is outside the plausible range for {unit} ({low:,g} to {high:,g})"
