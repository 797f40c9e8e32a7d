"""What has happened since the report, per indicator: the figure at the report's time, the
latest figure counted the same way, the change between them in the right unit, the latest
figure on any other definition kept apart, and each target's progress on its own baseline.

One figure stands for an indicator in a period: a total row; the breakdown value named as its
``headline``; or, for counts whose breakdowns add up, the sum of the most aggregated rows.
Rates and breakdowns that do not add up (applications and places) are never summed.

The comparison is made on one definition: the main series when it has a figure at the
report's time and one after it, else the first series declared under the indicator that has
both (a proxy never stands in). A monthly measure is compared on the same month of the year,
so that a season is not read as a change.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from mhwkb import fields, scales
from mhwkb import schemas as s
from mhwkb.data import cached_reads, indicator, observations, records
from mhwkb.prose import at, fmt_change, period_label, with_unit

REPORT_MONTH = fields.REPORT_PUBLISHED.isoformat()[:7]  # its baseline is the latest figure by then
# The rating scale and the kinds of evidence, in order, as shown (defined in mhwkb.scales).
STATUS_LABELS = {k: r.label for k, r in scales.STATUSES.items()}
CONFIDENCE_LABELS = {k: r.label for k, r in scales.CONFIDENCE.items()}
# The landing page's cards: an indicator, or one value of its breakdown (indicator, group).
HEADLINE_MEASURES: tuple[tuple[str, str | None], ...] = (
    ("mh_trust_staff_fte", None),
    ("mh_trust_staff_fte", "nurses_health_visitors"),
    ("staff_sickness_absence", None),
    ("mh_nurses_fte", None),
    ("psychiatrists_fte", None),
    ("mh_trust_joiners_leavers", None),
    ("mh_vacancy_rate", None),
    ("mhst_teams", None),
    ("peer_support_workers", None),
)
# How old the latest figure may be, for how often its source publishes, before it is out of date.
STALE_AFTER = {"monthly": 183, "quarterly": 274, "annual": 730}  # days after the period ends
# How a target stands, by the method on the About the data page.
PROGRESS = {
    "met": "Met",
    "not_met": "Not met",
    "on_track": "On track",
    "off_track": "Off track",
    "cannot_tell": "Cannot tell",
}


@dataclass(frozen=True)
class Figure:
    """One figure of an indicator as a reader sees it."""

    period: str
    value: float
    unit: str
    qualifier: str
    source: str
    printed: float | None = None  # the total the report prints, where it differs from the sum
    decimals: int | None = None  # the decimals the source prints it with (rates)
    line: int | None = None  # the first line of data/observations.csv it comes from
    parts: int = 1  # how many figures were added up here to make it
    parts_by: str = ""  # what they are figures by ("staff group")

    @property
    def text(self) -> str:
        shown = with_unit(self.value, self.unit, self.qualifier, self.decimals)
        if self.printed is None:
            if self.parts > 1:
                return (
                    f"{shown} (the total of {self.parts} figures by {self.parts_by}, added up here)"
                )
            return shown
        printed = with_unit(self.printed, self.unit)
        return f"{printed} as the report prints it (its rows add up to {shown})"

    @property
    def when(self) -> str:
        return period_label(self.period)


@dataclass(frozen=True)
class OtherFigure:
    """The latest figure on another definition of the measure (never compared with the main)."""

    label: str
    proxy: bool
    figure: Figure
    lower_bound: bool = False  # it counts a part of what the compared definition counts


@dataclass(frozen=True)
class Movement:
    """An indicator since the report: ``baseline``, ``latest`` and ``compared`` (the figure the
    change runs to) are on one definition, ``series`` (blank: the main one)."""

    indicator: s.Indicator
    label: str
    baseline: Figure | None
    latest: Figure | None
    other: OtherFigure | None
    series: str = ""
    compared: Figure | None = None
    as_of: date | None = None
    counted_before: bool = False  # some definition has a figure from the report's time

    @property
    def definition(self) -> str:
        """The definition compared, when it is not the indicator's main one."""
        return self.indicator.series[self.series].label if self.series else ""

    @property
    def change(self) -> str | None:
        """The change from the baseline to the compared figure: +120 FTE, +1.2 percentage
        points; None unless both are known and neither is qualified as approximate."""
        b, last = self.baseline, self.compared
        if not (b and last) or b.qualifier or last.qualifier:
            return None
        change = fmt_change(last.value - b.value, last.unit, _decimals(b, last))
        return change + (" from the sum of the rows" if b.printed is not None else "")

    @property
    def same_month(self) -> bool:
        """Whether the change runs to the same month of a later year, not the latest month."""
        return bool(self.compared and self.latest and self.compared is not self.latest)

    @property
    def at_least(self) -> str | None:
        """The change to a later figure that counts only part of the compared definition:
        the real change can only be larger. None unless there is one."""
        b, o = self.baseline, self.other
        if not (b and o and o.lower_bound) or b.qualifier or o.figure.qualifier:
            return None
        if o.figure.unit != b.unit or o.figure.value < b.value:
            return None
        change = o.figure.value - b.value
        share = f" ({change / b.value:.0%})" if b.value else ""
        return f"at least {fmt_change(change, b.unit, _decimals(b, o.figure))}{share}"

    @property
    def stale(self) -> bool:
        """Whether the latest comparable figure is older than its source's frequency allows."""
        return bool(self.age_days is not None and self.age_days > self._allowed)

    @property
    def _allowed(self) -> int:
        return STALE_AFTER.get(self.indicator.frequency, 10**9)

    @property
    def age_days(self) -> int | None:
        newest = self.latest or self.baseline
        if newest is None or self.as_of is None:
            return None
        return (self.as_of - fields.period_end(newest.period)).days

    @property
    def age(self) -> str:
        """How old the latest comparable figure is, in words: 8 months, 7 years."""
        days = self.age_days or 0
        if days >= 730:
            return f"{days // 365} years"
        months = max(days // 30, 0)
        return f"{months} month{'s' if months != 1 else ''}"

    @property
    def why(self) -> str | None:
        """Why there is no change on one definition, in one sentence; None when there is."""
        if self.change or (self.baseline and self.compared):
            return None
        if self.baseline is None:
            if self.latest or self.other:
                return (
                    "No figure from the report's time is counted the same way as the later ones."
                    if self.counted_before
                    else "The measure starts after the report: there is no figure from its time."
                )
            return "No figure has been found."
        if self.latest is None:
            later = "; the later figure below is counted another way" if self.other else ""
            return f"No figure since {self.baseline.when} is counted the same way{later}."
        return "One of the figures is printed as approximate, so no change is worked out."


def _decimals(*figures: Figure) -> int | None:
    shown = [f.decimals for f in figures if f.decimals is not None]
    return max(shown) if shown else None


def before_report(period: str) -> bool:
    """Whether a period starts at or before the report's publication."""
    return fields.period_sort_key(period) <= REPORT_MONTH


def filled(obs: pd.DataFrame) -> pd.Series:
    """How many breakdown columns each row fills (0: a total over all breakdowns)."""
    return (obs[list(fields.BREAKDOWNS)] != "").sum(axis=1)


def adds_up(ind: s.Indicator, obs: pd.DataFrame) -> bool:
    """Whether the rows in ``obs`` may be summed: a count whose breakdowns used there all add
    up (staff groups do; applications and places do not)."""
    used = [b for b in fields.BREAKDOWNS if (obs[b] != "").any() and b in ind.breakdowns]
    return ind.unit in scales.COUNT_UNITS and all(ind.breakdowns[b].additive for b in used)


def headline_rows(ind: s.Indicator, obs: pd.DataFrame) -> tuple[str, pd.DataFrame] | None:
    """The rows that stand for the whole indicator (parts, when they add up), and what they
    count; None when no single figure does (rates by country, breakdowns that do not add up
    and name no headline)."""
    used = [b for b in fields.BREAKDOWNS if (obs[b] != "").any()]
    if not used:
        return ind.title, obs
    for b in used:
        head = ind.breakdowns[b].headline if b in ind.breakdowns else None
        if head:
            rest = [x for x in used if x != b]
            rows = obs[(obs[b] == head) & (obs[rest] == "").all(axis=1)]
            return f"{ind.title}: {ind.breakdowns[b].values[head]}", rows
    if adds_up(ind, obs):
        return ind.title, obs
    totals = obs[(obs[used] == "").all(axis=1)]
    if not totals.empty:
        return ind.title, totals
    return None


def figures(ind: s.Indicator, obs: pd.DataFrame, unit: str) -> tuple[str, list[Figure]] | None:
    """One figure per period, in time order, labelled; None when no single figure stands for
    the indicator. Parts are summed only at the most aggregated level given in each period."""
    found = headline_rows(ind, obs)
    if found is None:
        return None
    label, rows = found
    printed_totals = _printed_totals(ind.id)
    breakdowns = list(fields.BREAKDOWNS)
    by_period: dict[str, list[tuple[int, dict]]] = {}  # in the order the periods first come
    for row in rows.to_dict("records"):  # plain rows: a data frame per period costs more
        level = sum(row[b] != "" for b in breakdowns)
        by_period.setdefault(row["period"], []).append((level, row))
    out = []
    for period, group in by_period.items():
        lowest = min(level for level, _ in group)
        top = [row for level, row in group if level == lowest]
        qualifier = top[0]["qualifier"] if len(top) == 1 else ""
        if len(top) > 1 and any(row["qualifier"] != "" for row in top):
            continue  # approximate parts do not make an exact total
        value = float(np.add.reduce(np.array([row["value"] for row in top], dtype="float64")))
        printed = printed_totals.get(period) if len(top) > 1 else None
        printed = printed if printed is not None and printed != value else None
        decimals = max(int(row["decimals"]) for row in top)
        first = min(int(row["line"]) for row in top)
        source = top[0]["source"]
        by = " and ".join(
            ind.breakdowns[b].label.lower() for b in breakdowns if any(row[b] != "" for row in top)
        )
        out.append(
            Figure(period, value, unit, qualifier, source, printed, decimals, first, len(top), by)
        )
    return label, sorted(out, key=lambda f: fields.period_date(f.period))


def _printed_totals(indicator_id: str) -> dict[str, float]:
    """The grand totals the report prints in its tables of an indicator, by period."""
    return {
        p.period: p.value
        for t in records("tables")
        if t.indicator == indicator_id
        for p in t.printed
        if not p.group
    }


def _rows(ind: s.Indicator, series: str, group: str | None) -> pd.DataFrame:
    """An indicator's observations on one definition, of one group when one is named."""
    obs = observations(ind.id, series=series)
    if group is not None:
        obs = obs[(obs["group"] == group) & (obs["subgroup"] == "") & (obs["country"] == "")]
    return obs


@cached_reads  # asked for by each movement: worked out once, whatever date it is judged at
def _definitions(indicator_id: str, group: str | None) -> list[tuple[str, str, list[Figure]]]:
    """(series, label, figures) for the main definition and each series, in declared order."""
    ind = indicator(indicator_id)
    out = []
    for key in ["", *ind.series]:
        found = figures(ind, _rows(ind, key, group), ind.series_unit(key))
        if found:
            label = found[0]
            if group is not None:
                label = f"{ind.title}: {ind.breakdowns['group'].values[group]}"
            out.append((key, label, found[1]))
    return out


def _compared(ind: s.Indicator, baseline: Figure | None, later: list[Figure]) -> Figure | None:
    """The later figure the change runs to: for a monthly measure, the latest in the
    baseline's month of the year, when there is one; else the latest."""
    if not later:
        return None
    if baseline and ind.frequency == "monthly" and len(baseline.period) == 7:
        same = [f for f in later if len(f.period) == 7 and f.period[5:] == baseline.period[5:]]
        if same:
            return same[-1]
    return later[-1]


@cached_reads  # asked for on many pages: each indicator's movement is worked out once
def movement(indicator_id: str, group: str | None = None, as_of: date | None = None) -> Movement:
    """An indicator (or one group of it) from the report's baseline to its latest figure on
    the same definition, with the newest figure counted another way kept apart."""
    ind = indicator(indicator_id)
    defs = _definitions(indicator_id, group)
    usable = [d for d in defs if not (d[0] and ind.series[d[0]].proxy)]

    def split(figs):
        return [f for f in figs if before_report(f.period)], [
            f for f in figs if not before_report(f.period)
        ]

    chosen = next(
        (d for d in usable if all(split(d[2]))),
        next((d for d in usable if split(d[2])[0]), usable[0] if usable else None),
    )
    counted_before = any(split(d[2])[0] for d in defs)
    if chosen is None:
        return Movement(
            ind,
            ind.title,
            None,
            None,
            _other(ind, defs, None, None),
            as_of=as_of,
            counted_before=counted_before,
        )
    key, label, figs = chosen
    before, later = split(figs)
    baseline = before[-1] if before else None
    latest = later[-1] if later else None
    newest = latest or baseline
    return Movement(
        ind,
        label,
        baseline,
        latest,
        _other(ind, defs, key, newest.period if newest else None),
        key,
        _compared(ind, baseline, later),
        as_of,
        counted_before,
    )


def _other(ind, defs, chosen: str | None, after: str | None) -> OtherFigure | None:
    """The most recent figure on another definition, if later than ``after`` (any when None)."""
    best = None
    for key, _, figs in defs:
        if key == chosen or not figs or not key:
            continue
        last = figs[-1]
        newer = best is None or fields.period_sort_key(last.period) > fields.period_sort_key(
            best.figure.period
        )
        if newer and (
            after is None or fields.period_sort_key(last.period) > fields.period_sort_key(after)
        ):
            series = ind.series[key]
            best = OtherFigure(series.label, series.proxy, last, series.lower_bound)
    if best is None and chosen:  # the main definition, newer than the series compared
        main = next((figs for key, _, figs in defs if key == ""), [])
        if main and (
            after is None or fields.period_sort_key(main[-1].period) > fields.period_sort_key(after)
        ):
            best = OtherFigure(ind.main_label or ind.title, False, main[-1])
    return best


def policy_of_target() -> dict[str, s.Policy]:
    """The policy that sets each target, by target id."""
    return {t: p for p in records("policies") for t in p.targets}


def status_counts(recs: list) -> list[tuple[str, str, int]]:
    """How many recommendations stand at each rating today (their latest entry), in scale order;
    ratings no recommendation holds are left out."""
    latest = [r.status[-1].status for r in recs]
    return [(k, label, latest.count(k)) for k, label in STATUS_LABELS.items() if k in latest]


def confidence_counts(recs: list) -> list[tuple[str, str, int]]:
    """How many recommendations' latest rating rests on each kind of evidence, strongest first;
    kinds no recommendation's rating rests on are left out."""
    latest = [r.status[-1].confidence for r in recs]
    return [(k, label, latest.count(k)) for k, label in CONFIDENCE_LABELS.items() if k in latest]


def target_text(target: s.Target, unit: str | None = None) -> str:
    """A target in a few words: +8,100 FTE from 2016 by 2020/21 · 60% by March 2026."""
    unit = target.unit
    if target.kind == "increase":
        text = fmt_change(target.value, unit)
        if target.cumulative_with:
            text += " on top of the earlier target"
        elif target.baseline_period:
            text += f" from {period_label(target.baseline_period)}"
    else:
        text = with_unit(target.value, unit)
    return text + (f" by {period_label(target.deadline)}" if target.deadline else "")


def latest_target(ind: s.Indicator) -> s.Target | None:
    """The target with the latest deadline (one with no deadline only when there is no other)."""
    if not ind.targets:
        return None
    return max(
        ind.targets,
        key=lambda t: (t.deadline is not None, fields.period_sort_key(t.deadline or "")),
    )


@dataclass(frozen=True)
class Progress:
    """A target's progress on its own baseline and definition (the About the data page gives
    the method): the share of the way from the baseline to the target level reached by the
    latest figure, beside the share of the time from the baseline to the deadline gone by."""

    target: s.Target
    rating: str
    reason: str
    baseline: Figure | None = None
    level: float | None = None
    latest: Figure | None = None
    reached: float | None = None
    elapsed: float | None = None

    @property
    def label(self) -> str:
        return PROGRESS[self.rating]

    @property
    def level_text(self) -> str:
        return with_unit(self.level, self.target.unit) if self.level is not None else ""


def _chain(ind: s.Indicator, target: s.Target) -> list[s.Target]:
    """The target and those it comes on top of, earliest first."""
    by_id, out = {t.id: t for t in ind.targets}, [target]
    while out[0].cumulative_with and out[0].cumulative_with in by_id and len(out) < 20:
        out.insert(0, by_id[out[0].cumulative_with])
    return out


def _within(fig: Figure, period: str) -> bool:
    return (
        fields.period_start(period) <= fields.period_date(fig.period) <= fields.period_end(period)
    )


def _share(x: float) -> str:
    """A share as a whole percentage, never rounded up to a target not yet reached: 99.6% is 99%."""
    return f"{int(x * 100)}%"


def progress(ind: s.Indicator, target: s.Target) -> Progress:
    """How a target stands: met, not met, on track, off track, or cannot tell, and why."""
    chain = _chain(ind, target)
    root = chain[0]
    if not target.measurable:  # its own baseline and level, where the plan states them
        stated = root.baseline_value is not None and root.baseline_period
        base = (
            Figure(
                root.baseline_period,
                root.baseline_value,
                target.unit,
                "",
                root.baseline_source or root.source,
            )
            if stated
            else None
        )
        increases = sum(t.value for t in chain if t.kind == "increase")
        level = (
            (base.value + increases if target.kind == "increase" else target.value)
            if base
            else None
        )
        return Progress(
            target, "cannot_tell", "No series here counts what the target counts.", base, level
        )
    found = figures(ind, observations(ind.id, series=target.series), target.unit)
    figs = found[1] if found else []
    if root.baseline_period is None:
        if target.kind == "level":
            return _level_only(target, figs)
        return Progress(target, "cannot_tell", "Its source states no baseline.")
    if root.baseline_value is not None:
        baseline = Figure(
            root.baseline_period,
            root.baseline_value,
            target.unit,
            "",
            root.baseline_source or root.source,
        )
    else:
        inside = [f for f in figs if _within(f, root.baseline_period)]
        if not inside:
            return Progress(
                target,
                "cannot_tell",
                f"No figure here from its baseline period, {period_label(root.baseline_period)}.",
            )
        baseline = inside[-1]
    increases = sum(t.value for t in chain if t.kind == "increase")
    level = baseline.value + increases if target.kind == "increase" else target.value
    start = fields.period_date(baseline.period)
    after = [f for f in figs if fields.period_date(f.period) > start]
    if not after:
        return Progress(target, "cannot_tell", "No figure since its baseline.", baseline, level)
    gap = level - baseline.value
    deadline = fields.period_end(target.deadline) if target.deadline else None

    def reached(f: Figure) -> float | None:
        return (f.value - baseline.value) / gap if gap else None

    due = [f for f in after if deadline is None or fields.period_end(f.period) <= deadline]
    hit = next((f for f in due if f.value >= level), None)
    if hit:
        return Progress(
            target,
            "met",
            f"{hit.text} {at(hit.period)}, at or above the target level.",
            baseline,
            level,
            hit,
            reached(hit),
            None,
        )
    late = [f for f in after if deadline is not None and fields.period_end(f.period) > deadline]
    if late:
        first = late[0]
        return Progress(
            target,
            "not_met",
            _late(first, level),
            baseline,
            level,
            first,
            reached(first),
            None,
        )
    latest = after[-1]
    if deadline is None or gap <= 0:
        return Progress(
            target,
            "cannot_tell",
            "It has no deadline to measure the pace against.",
            baseline,
            level,
            latest,
            reached(latest),
        )
    elapsed = (fields.period_date(latest.period) - start).days / max((deadline - start).days, 1)
    share = reached(latest) or 0.0
    rating = "on_track" if share >= elapsed else "off_track"
    return Progress(
        target,
        rating,
        f"By {latest.when}, {_share(max(share, 0))} of the way from the baseline to the target, "
        f"with {_share(min(elapsed, 1))} of the time gone.",
        baseline,
        level,
        latest,
        share,
        elapsed,
    )


def _late(first: Figure, level: float) -> str:
    """Why a target is not met: the first figure after its deadline, short of it or not."""
    if first.value >= level:
        return f"Reached only after the deadline: {first.text} {at(first.period)}."
    return f"{first.text} {at(first.period)}, after the deadline, short of the target level."


def _level_only(target: s.Target, figs: list[Figure]) -> Progress:
    """A level with no baseline: met or not met can be told from the figures, the pace cannot."""
    deadline = fields.period_end(target.deadline) if target.deadline else None
    due = [f for f in figs if deadline is None or fields.period_end(f.period) <= deadline]
    hit = next((f for f in due if f.value >= target.value), None)
    if hit:
        reason = f"{hit.text} {at(hit.period)}, at or above the target level."
        return Progress(target, "met", reason, None, target.value, hit)
    late = [f for f in figs if deadline is not None and fields.period_end(f.period) > deadline]
    if late and due:
        return Progress(
            target, "not_met", _late(late[0], target.value), None, target.value, late[0]
        )
    return Progress(
        target,
        "cannot_tell",
        "Its source states no baseline to measure the pace from.",
        None,
        target.value,
        figs[-1] if figs else None,
    )


def summary(m: Movement) -> str | None:
    """A movement in one line: from the baseline to the latest figure on the same definition,
    or the latest figure alone, or one on another definition named as such; None if no figure."""
    b, last, other = m.baseline, m.latest, m.other
    if b and last:
        to = m.compared or last
        change = f", {m.change}" if m.change else ""
        same = ", the same month of the year" if m.same_month else ""
        floor = ""
        if m.at_least:
            o = m.other.figure
            floor = (
                f"; later, on a count that leaves some staff out, {o.text} ({o.when}): {m.at_least}"
            )
        return f"{m.label}: {b.text} ({b.when}) to {to.text} ({to.when}{same}){change}{floor}"
    if last:
        return f"{m.label}: {last.text} ({last.when}); no figure from the report's time"
    if other:
        proxy = "a proxy, " if other.proxy else ""
        later = (
            f"{other.label}: {other.figure.text} ({other.figure.when}); {proxy}another "
            "definition, not comparable with the report's figure"
        )
        if b and m.at_least:
            later += f", though it shows {m.at_least} since {b.when}"
        return f"{m.label}: {b.text} ({b.when}). Since then: {later}" if b else later
    if b:
        return f"{m.label}: {b.text} ({b.when}); no later figure found"
    return None


def in_short(m: Movement) -> str | None:
    """A movement in one short line for a list: the change and its span, a floor, or the
    latest figure alone; None when there is no figure."""
    b, c, o = m.baseline, m.compared, m.other
    if b and c and m.change:
        return f"{m.change}, {b.when} to {c.when}"
    if b and o and m.at_least:
        return f"{m.at_least}, {b.when} to {o.figure.when}"
    if m.latest:
        return f"{m.latest.text} {at(m.latest.period)}; none from the report's time"
    if b:
        return f"{b.text} {at(b.period)}; none since counted the same way"
    if o:
        return f"{o.figure.text} {at(o.figure.period)}, counted another way"
    return None


def short_since(indicator_ids: list[str]) -> tuple[str, str | None]:
    """The most telling movement among indicators in one short line, with the indicator it is
    of: the first with a change, else the first with any figure."""
    moves = [movement(i) for i in indicator_ids]
    for wanted in (lambda m: m.change, lambda m: m.at_least, lambda m: m.latest, lambda m: True):
        for m in moves:
            text = in_short(m)
            if text and wanted(m):
                return f"{m.label}: {text}", m.indicator.id
    return ("No figure recorded" if indicator_ids else "Measured by milestones"), None


@dataclass(frozen=True)
class Cited:
    """A figure in a sentence: its text, the indicator and row it comes from, its source."""

    text: str
    indicator: str
    line: int | None
    source: str


@dataclass(frozen=True)
class Answer:
    """One of the landing page's questions, answered from the data: a short answer, then
    sentences made of text and cited figures."""

    question: str
    answer: str
    sentences: list[list[str | Cited]]
    targets: list[tuple[s.Indicator, Progress]] = ()

    @property
    def sources(self) -> list[str]:
        keys = [p.source for sent in self.sentences for p in sent if isinstance(p, Cited)]
        return list(dict.fromkeys(keys))


def _cite(m: Movement, fig: Figure) -> Cited:
    return Cited(fig.text, m.indicator.id, fig.line, fig.source)


def _growth(m: Movement, subject: str) -> list[str | Cited]:
    """A count from the report's time to now: on one definition, or at least so much on a later
    count that can only be smaller."""
    b, o = m.baseline, m.other
    if b and o and m.at_least:
        return [
            f"{subject}: ",
            _cite(m, b),
            f" {at(b.period)} and ",
            _cite(m, o.figure),
            f" {at(o.figure.period)}, on a count that leaves some staff out, so {m.at_least} more.",
        ]
    if b and m.compared and m.change:
        c = m.compared
        return [
            f"{subject}: ",
            _cite(m, b),
            f" {at(b.period)} and ",
            _cite(m, c),
            f" {at(c.period)}" + (", the same month of the year" if m.same_month else ""),
            f": {m.change}.",
        ]
    return [f"{subject}: {m.why or 'no figure'}"]


def _direction(m: Movement) -> int:
    """+1 when the measure moved the better way, -1 the worse, 0 when it cannot be told."""
    b, c = m.baseline, m.compared
    if m.at_least and m.indicator.better:
        return 1 if m.indicator.better == "higher" else -1
    if not (b and c and m.change) or not m.indicator.better or c.value == b.value:
        return 0
    up = c.value > b.value
    return 1 if up == (m.indicator.better == "higher") else -1


def verdict(as_of: date | None = None) -> list[Answer]:
    """Is the workforce bigger, were the targets met, is it healthier: answered from the data."""
    staff = movement("mh_trust_staff_fte", as_of=as_of)
    nurses = movement("mh_trust_staff_fte", "nurses_health_visitors", as_of=as_of)
    moved = _direction(staff)
    said = [
        _growth(staff, "Staff of the mental health trusts"),
        _growth(nurses, "Their nurses and health visitors"),
    ]
    taken_in = [c for t in records("trusts") if t.cluster for c in t.changes if not c.became]
    if taken_in:
        said.append(
            [
                "The trusts are the same organisations at both dates, merged trusts counted "
                f"together; {len(taken_in)} moves of services into them from other trusts, the "
                f"first {at(min(c.date for c in taken_in))}, are counted only in the later figure."
            ]
        )
    answer = {1: "Yes", -1: "No", 0: "It cannot be told"}[moved]
    bigger = Answer("Is the workforce bigger?", answer, said)
    tracked = [
        (ind, progress(ind, t))
        for ind in (indicator(i) for i in _TARGET_INDICATORS)
        for t in ind.targets
    ]
    judged = [(ind, p) for ind, p in tracked if p.rating != "cannot_tell"]
    count = {k: sum(p.rating == k for _, p in judged) for k in PROGRESS}
    good, bad = count["met"] + count["on_track"], count["not_met"] + count["off_track"]
    parts = [f"{n} {PROGRESS[k].lower()}" for k, n in count.items() if n and k != "cannot_tell"]
    targets = Answer(
        "Were the targets met?",
        "Mostly not" if bad > good else "Mostly" if good > bad else "Partly",
        [
            [
                f"Of the {len(tracked)} workforce targets tracked here, {len(judged)} can be "
                f"measured on their own baseline: {', '.join(parts)}. The other "
                f"{len(tracked) - len(judged)} cannot be told from the figures here: no series "
                "counts what they count, or there is no figure since their baseline."
            ]
        ],
        judged,
    )
    sickness = movement("staff_sickness_absence", as_of=as_of)
    leavers = movement("mh_trust_joiners_leavers", as_of=as_of)
    health = _direction(sickness)
    said = [_growth(sickness, "Sickness absence in mental health organisations")]
    if sickness.same_month and sickness.latest:
        last = sickness.latest
        said.append(
            ["The latest month on that count: ", _cite(sickness, last), f" {at(last.period)}."]
        )
    if sickness.other:
        o = sickness.other
        said.append(
            [
                f"{o.label}: ",
                _cite(sickness, o.figure),
                f" {at(o.figure.period)}, a separate series.",
            ]
        )
    if leavers.latest:
        said.append(
            [
                "Staff leaving mental health trusts: ",
                _cite(leavers, leavers.latest),
                f" of their staff in one month, {period_label(leavers.latest.period)}; "
                "there is no figure counted this way from the report's time.",
            ]
        )
    healthier = Answer(
        "Is it healthier?",
        {1: "Yes", -1: "No", 0: "It cannot be told"}[health],
        said,
    )
    return [bigger, targets, healthier]


# The indicators whose targets the landing page counts: the workforce's own targets.
_TARGET_INDICATORS = (
    "specialist_mh_workforce",
    "mh_nurses_fte",
    "psychiatrists_fte",
    "mhst_teams",
    "iapt_workforce",
    "cyp_therapists",
    "gp_fte",
    "gp_trainees",
    "clinical_psychology_training",
    "health_training_places",
)
