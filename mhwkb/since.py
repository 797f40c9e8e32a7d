"""What has happened since the report, per indicator: the figure at the report's time, the
latest figure counted the same way, the change between them in the right unit, and the latest
figure on any other definition, kept apart.

One figure stands for an indicator in a period: a total row; the breakdown value named as its
``headline``; or, for counts whose breakdowns add up, the sum of the most aggregated rows.
Rates and breakdowns that do not add up (applications and places) are never summed.
"""

from dataclasses import dataclass

import pandas as pd

from mhwkb import schemas as s
from mhwkb.data import indicator, observations, records
from mhwkb.prose import fmt_change, period_label, with_unit

REPORT_MONTH = "2017-09"  # the report's publication: its baseline is the latest figure by then
STATUS_LABELS = {  # the rating scale, in order (see the About the data page)
    "published": "Published",
    "no_evidence": "No evidence of progress",
    "some_progress": "Some progress",
    "substantial_progress": "Substantial progress",
    "achieved": "Achieved",
    "superseded": "Superseded",
}
HEADLINE_INDICATORS = (
    "mh_nurses_fte",
    "psychiatrists_fte",
    "specialist_mh_workforce",
    "mh_vacancy_rate",
    "leaver_rate",
    "staff_sickness_absence",
    "mhst_teams",
    "peer_support_workers",
)


@dataclass(frozen=True)
class Figure:
    """One figure of an indicator as a reader sees it."""

    period: str
    value: float
    unit: str
    qualifier: str
    source: str
    printed: float | None = None  # the total the report prints, where it differs from the sum

    @property
    def text(self) -> str:
        shown = with_unit(self.value, self.unit, self.qualifier)
        if self.printed is None:
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


@dataclass(frozen=True)
class Movement:
    """An indicator since the report: ``baseline`` and ``latest`` are on its main definition."""

    indicator: s.Indicator
    label: str
    baseline: Figure | None
    latest: Figure | None
    other: OtherFigure | None

    @property
    def change(self) -> str | None:
        """The change from the baseline to the latest figure: +120 FTE, +1.2 percentage
        points; None unless both are known and neither is qualified as approximate."""
        b, last = self.baseline, self.latest
        if not (b and last) or b.qualifier or last.qualifier:
            return None
        change = fmt_change(last.value - b.value, last.unit)
        return change + (" from the sum of the rows" if b.printed is not None else "")


def before_report(period: str) -> bool:
    """Whether a period starts at or before the report's publication."""
    return s.period_sort_key(period) <= REPORT_MONTH


def filled(obs: pd.DataFrame) -> pd.Series:
    """How many breakdown columns each row fills (0: a total over all breakdowns)."""
    return (obs[list(s.BREAKDOWNS)] != "").sum(axis=1)


def adds_up(ind: s.Indicator, obs: pd.DataFrame) -> bool:
    """Whether the rows in ``obs`` may be summed: a count whose breakdowns used there all add
    up (staff groups do; applications and places do not)."""
    used = [b for b in s.BREAKDOWNS if (obs[b] != "").any() and b in ind.breakdowns]
    return ind.unit in s.COUNT_UNITS and all(ind.breakdowns[b].additive for b in used)


def headline_rows(ind: s.Indicator, obs: pd.DataFrame) -> tuple[str, pd.DataFrame] | None:
    """The rows that stand for the whole indicator (parts, when they add up), and what they
    count; None when no single figure does (rates by country, breakdowns that do not add up and name no headline)."""
    used = [b for b in s.BREAKDOWNS if (obs[b] != "").any()]
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
    out = []
    for period, grp in rows.groupby("period", sort=False):
        level = filled(grp)
        top = grp[level == level.min()]
        qualifier = top["qualifier"].iloc[0] if len(top) == 1 else ""
        if len(top) > 1 and (top["qualifier"] != "").any():
            continue  # approximate parts do not make an exact total
        value = float(top["value"].sum())
        printed = printed_totals.get(period) if len(top) > 1 else None
        printed = printed if printed is not None and printed != value else None
        out.append(Figure(period, value, unit, qualifier, top["source"].iloc[0], printed))
    return label, sorted(out, key=lambda f: s.period_sort_key(f.period))


def _printed_totals(indicator_id: str) -> dict[str, float]:
    """The grand totals the report prints in its tables of an indicator, by period."""
    return {
        p.period: p.value
        for t in records("tables")
        if t.indicator == indicator_id
        for p in t.printed
        if not p.group
    }


def _other(ind: s.Indicator, after: str | None) -> OtherFigure | None:
    """The most recent figure on another definition, if later than ``after`` (any when None)."""
    best = None
    for key, series in ind.series.items():
        found = figures(ind, observations(ind.id, series=key), series.unit or ind.unit)
        if not found or not found[1]:
            continue
        last = found[1][-1]
        newer = best is None or s.period_sort_key(last.period) > s.period_sort_key(
            best.figure.period
        )
        if newer and (after is None or s.period_sort_key(last.period) > s.period_sort_key(after)):
            best = OtherFigure(series.label, series.proxy, last)
    return best


def movement(indicator_id: str) -> Movement:
    """An indicator from the report's baseline to its latest figure on the same definition."""
    ind = indicator(indicator_id)
    found = figures(ind, observations(ind.id, series=""), ind.unit)
    label, main = found if found else (ind.title, [])
    before = [f for f in main if before_report(f.period)]
    baseline = before[-1] if before else None
    later = [f for f in main if not before_report(f.period)]
    latest = later[-1] if later else None
    newest = latest or baseline
    return Movement(ind, label, baseline, latest, _other(ind, newest.period if newest else None))


def policy_of_target() -> dict[str, s.Policy]:
    """The policy that sets each target, by target id."""
    return {t: p for p in records("policies") for t in p.targets}


def status_counts(recs: list) -> list[tuple[str, str, int]]:
    """How many recommendations stand at each rating today (their latest entry), in scale order;
    ratings no recommendation holds are left out."""
    latest = [r.status[-1].status for r in recs]
    return [(k, label, latest.count(k)) for k, label in STATUS_LABELS.items() if k in latest]


def target_text(target: s.Target, unit: str) -> str:
    """A target in a few words: +8,100 FTE from 2016 by 2020/21 · 27,000 FTE by 2023/24."""
    if target.kind == "increase":
        text = fmt_change(target.value, unit)
        text += f" from {period_label(target.baseline_period)}" if target.baseline_period else ""
    else:
        text = with_unit(target.value, unit)
    return text + (f" by {period_label(target.deadline)}" if target.deadline else "")


def latest_target(ind: s.Indicator) -> s.Target | None:
    """The target with the latest deadline (one with no deadline only when there is no other)."""
    if not ind.targets:
        return None
    return max(
        ind.targets, key=lambda t: (t.deadline is not None, s.period_sort_key(t.deadline or ""))
    )


def summary(m: Movement) -> str | None:
    """A movement in one line: from the baseline to the latest figure on the same definition,
    or the latest figure alone, or one on another definition named as such; None if no figure."""
    b, last, other = m.baseline, m.latest, m.other
    if b and last:
        change = f", {m.change}" if m.change else ""
        return f"{m.label}: {b.text} ({b.when}) to {last.text} ({last.when}){change}"
    if last:
        return f"{m.label}: {last.text} ({last.when}); no figure from the report's time"
    if other:
        proxy = "a proxy, " if other.proxy else ""
        later = (
            f"{other.label}: {other.figure.text} ({other.figure.when}); {proxy}another "
            "definition, not comparable with the report's figure"
        )
        return f"{m.label}: {b.text} ({b.when}). Since then: {later}" if b else later
    if b:
        return f"{m.label}: {b.text} ({b.when}); no later figure found"
    return None


def since_report(indicator_ids: list[str]) -> str:
    """The most telling movement among indicators: the first with a change since the baseline,
    else the first with any figure; said plainly when none has one."""
    lines = [(m, summary(m)) for m in map(movement, indicator_ids)]
    for wanted in (lambda m: m.change, lambda m: m.latest, lambda m: m.other, lambda m: True):
        for m, text in lines:
            if text and wanted(m):
                return text
    return "No figure recorded" if indicator_ids else "No indicator; measured by milestones"
