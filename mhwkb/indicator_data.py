"""An indicator's observations as its pages show them: labelled, in time order, each value
as its source prints it; its latest figure in words, and how current it is."""

import re
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd

from mhwkb import fields, scales, since
from mhwkb import schemas as s
from mhwkb.changelog import read_changelog
from mhwkb.data import observations, source_name
from mhwkb.paths import DATA
from mhwkb.prose import at, period_label, with_unit


def in_time_order(obs: pd.DataFrame) -> pd.DataFrame:
    """Observations in time order (a period at its place on the time axis), then file order."""
    return obs.assign(_key=obs["period"].map(fields.period_date)).sort_values(["_key", "line"])


def printed(value: float, decimals: int, unit: str) -> str:
    """A value as its source prints it (5.20, 4,440.2, 183): the decimals it was recorded with."""
    return f"{float(value):,.{int(decimals)}f}"


def breakdown_label(ind: s.Indicator, row) -> str:
    parts = [ind.breakdowns[b].values.get(row[b], row[b]) for b in fields.BREAKDOWNS if row[b]]
    return ", ".join(parts) or ind.title


def series_label(ind: s.Indicator, row) -> str:
    name = breakdown_label(ind, row)
    if row["series"]:
        name = f"{ind.series[row['series']].label} (not comparable)"
        parts = [ind.breakdowns[b].values.get(row[b], row[b]) for b in fields.BREAKDOWNS if row[b]]
        name += f": {', '.join(parts)}" if parts else ""
    return name


def series_unit(ind: s.Indicator, series: str) -> str:
    """The unit of one series of an indicator: its own when it declares one."""
    return (ind.series[series].unit if series else None) or ind.unit


def series_frame(ind: s.Indicator) -> pd.DataFrame:
    """An indicator's observations, labelled, with units, in time order; each value as its
    source prints it."""
    obs = observations(ind.id)
    columns = ["Series", "Period", "Value", "Unit", "Status", "Source", "Note"]
    if obs.empty:
        return pd.DataFrame(columns=columns)
    obs = in_time_order(obs)
    return pd.DataFrame(
        {
            "Series": [series_label(ind, r) for _, r in obs.iterrows()],
            "Period": obs["period"].map(period_label).to_list(),
            "Value": [as_printed(r) for _, r in obs.iterrows()],
            "Unit": [scales.UNITS[series_unit(ind, x)].long for x in obs["series"]],
            "Status": obs["status"].to_list(),
            "Source": obs["source"].map(source_name).to_list(),
            "Note": obs["note"].to_list(),
        },
        columns=columns,
    )


def as_printed(row) -> str:
    """An observation's value with its qualifier, as its source prints it: over 1,000."""
    return f"{row['qualifier']} {printed(row['value'], row['decimals'], '')}".strip()


def row_anchor(line: int) -> str:
    """The anchor of an observation's row in its indicator page's table of all observations."""
    return f"obs-{line}"


def period_totals(ind: s.Indicator, obs: pd.DataFrame) -> tuple[str, pd.Series] | None:
    """A count's total per period (over the coarsest rows given), labelled; None for rates and
    for breakdowns whose values do not add up (applications and places)."""
    if obs.empty or not since.adds_up(ind, obs):
        return None
    filled = since.filled(obs)
    top = obs[filled == filled.min()]
    return "Total", top.groupby("period", sort=False)["value"].sum()


def latest(ind: s.Indicator, as_of: date | None = None) -> str | None:
    """The latest figure on the indicator's own definition (the one compared with the report's
    time), with its date and its age, marked out of date when older than its source's
    frequency implies; a later figure counted another way is named as such."""
    m = since.movement(ind.id, as_of=as_of)
    fig = m.latest or m.baseline
    if fig is None:
        return _latest_any(ind)
    part = m.label.removeprefix(f"{ind.title}: ") if m.label != ind.title else ""
    text = f"{part}: " * bool(part) + f"{fig.text} {at(fig.period)}"
    if m.definition:
        text += f" ({m.definition})"
    if as_of is not None:
        text += f", {m.age} old"
        if m.stale:
            text += f": out of date, as the source publishes {EVERY[ind.frequency]}"
    if m.other:
        o = m.other
        text += f"; later, counted another way: {o.figure.text} {at(o.figure.period)} ({o.label})"
    return text


def _latest_any(ind: s.Indicator) -> str | None:
    """The latest figure in words when no single figure stands for the indicator: one figure,
    or the breakdown named; a series on another definition is named as such."""
    obs = observations(ind.id, series="")
    series = ""
    if obs.empty:
        others = observations(ind.id)
        if others.empty:
            return None
        series = max(
            others["series"],
            key=lambda x: fields.period_sort_key(others.loc[others["series"] == x, "period"].max()),
        )
        obs = others[others["series"] == series]
    unit = series_unit(ind, series)
    last = max(obs["period"], key=fields.period_sort_key)
    rows = obs[obs["period"] == last]
    when = at(last)
    note = (
        f" ({ind.series[series].label.lower()}, not comparable with the main series)"
        if series
        else ""
    )
    if len(rows) == 1:
        row = rows.iloc[0]
        what = f"{breakdown_label(ind, row)}: " if since.filled(rows).iloc[0] else ""
        return f"{what}{with_unit(row['value'], unit)} {when}{note}"
    totals = period_totals(ind, rows) if not series else None
    if totals is not None:
        return f"{with_unit(totals[1][last], unit)} in total {when}{note}"
    names = [b for b in fields.BREAKDOWNS if (rows[b] != "").any()]
    by = " and ".join(ind.breakdowns[b].label.lower() for b in names)
    if len(rows) <= 3:
        parts = [
            f"{breakdown_label(ind, r)} {with_unit(r['value'], unit)}" for _, r in rows.iterrows()
        ]
        return f"{'; '.join(parts)} {when}{note}"
    return f"{len(rows)} figures by {by} {when}{note}; see the chart"


@cache
def data_last_changed(indicator_id: str, changelog: Path = DATA / "CHANGELOG.md") -> str | None:
    """The date of the newest release in the data changelog whose changes name the indicator
    by its id (``staff_sickness_absence``, not within a longer id); None when none does, and
    the page then says nothing.

    It depends on the data files alone, never on the repository's history: a page generated
    from the same data always says the same, so no commit can leave it showing an older date.
    """
    releases, _ = read_changelog(changelog)
    named = re.compile(rf"(?<!\w){re.escape(indicator_id)}(?!\w)")
    days = [r.date for r in releases if named.search(r.changes)]
    return max(days).isoformat() if days else None


def freshness(ind: s.Indicator, today: date) -> dict:
    """What a reader needs to judge how current an indicator is."""
    return {
        "latest": latest(ind, as_of()),
        "changed": data_last_changed(ind.id),
        "next_release": ind.next_release.date.isoformat() if ind.next_release else None,
        "release_source": ind.next_release.source if ind.next_release else None,
        "overdue": bool(ind.next_release and ind.next_release.date < today),
    }


EVERY = {"monthly": "every month", "quarterly": "every quarter", "annual": "every year"}


def as_of() -> date:
    """The date figures are judged current against: the data version's, so a page says the
    same on every build of the same data."""
    from mhwkb.datapackage import latest_release

    return latest_release().date
