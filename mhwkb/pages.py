"""Generate the tracker pages (one per recommendation and per indicator, a dashboard, an
addressee view) from the records, in one process with no kernel.

``python -m mhwkb pages`` writes MyST pages under chapters/recommendations/ and
chapters/indicators/ from the templates in ``mhwkb/templates/`` (``*.md``), rewriting a file
only when its content changes, so Sphinx re-reads exactly the pages whose records changed.
Headings, prose and links are MyST (Sphinx builds the in-page contents and checks every
link); charts are HTML fragments. The pages are generated, never edited by hand.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import vl_convert
from markupsafe import Markup

from mhwkb import bodies, charts, kinds, links, organisations, since, templates
from mhwkb import schemas as s
from mhwkb.changelog import read_changelog
from mhwkb.data import indicator, indicators, observations, reading, records, source_name
from mhwkb.html import spreadsheet_safe
from mhwkb.paths import CHAPTERS, DATA, ROOT
from mhwkb.prose import at, axis_title, period_label, with_unit
from mhwkb.provenance import provenances
from mhwkb.refresh import file_digest
from mhwkb.render import facts_table
from mhwkb.since import CONFIDENCE_LABELS, STATUS_LABELS

RESPONSE_LABELS = {
    "accepted": "Accepted",
    "accepted_in_principle": "Accepted in principle",
    "not_accepted": "Not accepted",
    "no_response_recorded": "No response recorded",
}


def _sorted(obs: pd.DataFrame) -> pd.DataFrame:
    """Observations in time order (a period at its place on the time axis), then file order."""
    return obs.assign(_key=obs["period"].map(s.period_date)).sort_values(["_key", "line"])


def printed(value: float, decimals: int, unit: str) -> str:
    """A value as its source prints it (5.20, 4,440.2, 183): the decimals it was recorded with."""
    return f"{float(value):,.{int(decimals)}f}"


def _breakdown_label(ind: s.Indicator, row) -> str:
    parts = [ind.breakdowns[b].values.get(row[b], row[b]) for b in s.BREAKDOWNS if row[b]]
    return ", ".join(parts) or ind.title


def _series_label(ind: s.Indicator, row) -> str:
    name = _breakdown_label(ind, row)
    if row["series"]:
        name = f"{ind.series[row['series']].label} (not comparable)"
        parts = [ind.breakdowns[b].values.get(row[b], row[b]) for b in s.BREAKDOWNS if row[b]]
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
    obs = _sorted(obs)
    return pd.DataFrame(
        {
            "Series": [_series_label(ind, r) for _, r in obs.iterrows()],
            "Period": obs["period"].map(period_label).to_list(),
            "Value": [_as_printed(r) for _, r in obs.iterrows()],
            "Unit": [s.UNITS[series_unit(ind, x)].long for x in obs["series"]],
            "Status": obs["status"].to_list(),
            "Source": obs["source"].map(source_name).to_list(),
            "Note": obs["note"].to_list(),
        },
        columns=columns,
    )


def _as_printed(row) -> str:
    """An observation's value with its qualifier, as its source prints it: over 1,000."""
    return f"{row['qualifier']} {printed(row['value'], row['decimals'], '')}".strip()


def row_anchor(line: int) -> str:
    """The anchor of an observation's row in its indicator page's table of all observations."""
    return f"obs-{line}"


def _totals(ind: s.Indicator, obs: pd.DataFrame) -> tuple[str, pd.Series] | None:
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
            key=lambda x: s.period_sort_key(others.loc[others["series"] == x, "period"].max()),
        )
        obs = others[others["series"] == series]
    unit = series_unit(ind, series)
    last = max(obs["period"], key=s.period_sort_key)
    rows = obs[obs["period"] == last]
    when = at(last)
    note = (
        f" ({ind.series[series].label.lower()}, not comparable with the main series)"
        if series
        else ""
    )
    if len(rows) == 1:
        row = rows.iloc[0]
        what = f"{_breakdown_label(ind, row)}: " if since.filled(rows).iloc[0] else ""
        return f"{what}{with_unit(row['value'], unit)} {when}{note}"
    totals = _totals(ind, rows) if not series else None
    if totals is not None:
        return f"{with_unit(totals[1][last], unit)} in total {when}{note}"
    names = [b for b in s.BREAKDOWNS if (rows[b] != "").any()]
    by = " and ".join(ind.breakdowns[b].label.lower() for b in names)
    if len(rows) <= 3:
        parts = [
            f"{_breakdown_label(ind, r)} {with_unit(r['value'], unit)}" for _, r in rows.iterrows()
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


FIGURE_CACHE = ROOT / "_build" / ".cache" / "indicator_figures.json"
# key -> {"reads": digest of each part of the data read to draw it, "html": the drawing}, loaded
# from and saved to FIGURE_CACHE by generate()
_figures: dict[str, dict] = {}
_used: set[str] = set()


PACKAGE = Path(__file__).parent


@cache
def drawing_inputs(package: Path = PACKAGE, static: Path = ROOT / "_static") -> tuple[str, ...]:
    """Everything besides the data that shapes a chart, read once per process: the package
    code (unit labels, colours, layout), the templates, the styles and the renderer version."""
    files = [
        *sorted(package.glob("*.py")),
        *sorted((package / "templates").glob("*")),
        *sorted(static.glob("*.css")),
    ]
    return (*(p.read_text(encoding="utf-8") for p in files), vl_convert.__version__)


def _figure_key(
    ind: s.Indicator, depth: int, inputs: tuple[str, ...] | None = None, whole: bool = True
) -> str:
    """Digest of which drawing this is and of everything besides the data that shapes it."""
    payload = json.dumps([ind.id, depth, whole, inputs or drawing_inputs()])
    return hashlib.sha256(payload.encode()).hexdigest()


def indicator_figure_html(indicator_id: str, depth: int, whole: bool = True) -> Markup:
    """An indicator's charts, drawn again only when a part of the data they read (rows,
    metadata, the names and addresses of their sources) or anything else that shapes them
    changed; ``whole`` adds the table of every observation (the indicator's own page has it)."""
    ind = indicator(indicator_id)
    key = _figure_key(ind, depth, whole=whole)
    kept = _figures.get(key)
    if kept is None or any(file_digest(p) != d for p, d in kept["reads"].items()):
        with reading() as parts:
            html = str(indicator_figure(ind, depth, whole))
        kept = _figures[key] = {"reads": {p: file_digest(p) for p in parts}, "html": html}
    _used.add(key)
    return Markup(kept["html"])


def _formats(unit: str) -> tuple[str, str]:
    if unit == "per_100k":
        return "{:,.2f}", ",.2f"
    if unit in ("percent", "percentage_points"):
        return "{:,.1f}", ",.1f"
    return "{:,.0f}", ",.0f"


def _at(label: str) -> str:
    """'in' before a month or a year, 'on' before a day (6 January 2022)."""
    return ("on " if re.match(r"^\d{1,2} ", label) else "in ") + label


def _describe(lines: pd.DataFrame, unit: str, dashed: set[str], targets) -> str:
    """A plain-English summary of a chart's lines, for its caption and text alternative."""
    sentences = []
    for name, rows in lines.groupby("Series", sort=False):
        first, last = rows.iloc[0], rows.iloc[-1]

        def shown(row):
            return with_unit(row["Value"], unit, "", int(row["Decimals"]))

        if len(rows) == 1:
            text = f"{name}: one figure, {shown(first)} {_at(first['Period'])}"
        else:
            text = (
                f"{name}: {shown(first)} {_at(first['Period'])} and {shown(last)} "
                f"{_at(last['Period'])}"
            )
        if name in dashed:
            text += ", counted on another definition (dashed line, hollow marker)"
        sentences.append(text + ".")
    for x in targets:
        sentences.append(
            f"A cross marks the target, {with_unit(x.level, unit)} by {x.due}, with a dotted line "
            "from its baseline."
        )
    return " ".join(sentences)


def _trend(
    ind,
    lines,
    unit,
    title,
    filename,
    depth,
    dashed=frozenset(),
    targets=(),
    colours=None,
    multiples=False,
):
    """Lines over time (``multiples``: a small chart per line), each value as its source
    prints it; the data table and its CSV name each figure's source."""
    number_format, value_format = _formats(unit)
    frame = lines.assign(
        Shown=[printed(v, d, unit) for v, d in zip(lines["Value"], lines["Decimals"], strict=True)],
        Named=lines["Source"].map(source_name),
    )
    common = dict(
        line="Series",
        title=title,
        value_title=axis_title(unit),
        description=_describe(lines, unit, set(dashed), targets),
        source=sorted(set(lines["Source"])),
        filename=filename,
        depth=depth,
        number_format=number_format,
        value_format=value_format,
    )
    data = frame[["Series", "Period", "Date", "Value", "Shown", "Named"]].rename(
        columns={"Named": "Source"}
    )
    if multiples:
        return charts.small_multiples(data, **common)
    return charts.trend(
        data, targets=[x.mark for x in targets], dashed=set(dashed), colours=colours, **common
    )


@dataclass(frozen=True)
class DrawnTarget:
    """A target as a chart draws it, with its deadline in words for the description."""

    mark: charts.TargetMark
    level: float
    due: str


def _drawn_targets(ind: s.Indicator, series: set[str]) -> list[DrawnTarget]:
    """The measurable targets counted on the series of a chart, at their deadlines."""
    out = []
    for t in ind.targets:
        if t.series not in series or not t.measurable or not t.deadline:
            continue
        p = since.progress(ind, t)
        if p.level is None:
            continue
        b = p.baseline
        mark = charts.TargetMark(
            t.label,
            p.level,
            s.period_end(t.deadline).isoformat(),
            s.period_date(b.period).isoformat() if b else None,
            b.value if b else None,
        )
        out.append(DrawnTarget(mark, p.level, period_label(t.deadline)))
    return out


def _bars(ind, rows, unit, title, filename, depth):
    number_format, value_format = _formats(unit)
    value = axis_title(unit)
    rows = rows.sort_values("Value", ascending=False, kind="stable")
    frame = pd.DataFrame({"Series": rows["Series"], value: rows["Value"]})
    top = rows.loc[rows["Value"].idxmax()]
    return charts.bars(
        frame,
        category="Series",
        value=value,
        title=title,
        value_title=axis_title(unit),
        description=f"{len(rows)} bars, largest first; the largest is {top['Series']}, "
        f"{with_unit(top['Value'], unit)}.",
        source=sorted(set(rows["Source"])),
        filename=filename,
        depth=depth,
        number_format=number_format,
        value_format=value_format,
    )


LINE_COLUMNS = ["Series", "Period", "Date", "Value", "Decimals", "Source"]


def _lines(ind: s.Indicator, obs: pd.DataFrame, label) -> pd.DataFrame:
    """Observations as chart lines: each labelled, placed on the time axis, in time order."""
    columns = LINE_COLUMNS
    if obs.empty:
        return pd.DataFrame(columns=columns)
    obs = _sorted(obs)
    return pd.DataFrame(
        {
            "Series": [label(r) for _, r in obs.iterrows()],
            "Period": obs["period"].map(period_label).to_list(),
            "Date": obs["period"].map(lambda p: s.period_date(p).isoformat()).to_list(),
            "Value": obs["value"].astype(float).to_list(),
            "Decimals": obs["decimals"].astype(int).to_list(),
            "Source": obs["source"].to_list(),
        },
        columns=columns,
    )


def _series_lines(ind: s.Indicator, keys: list[str]) -> pd.DataFrame:
    """Each series on another definition as one line: its total, or its headline value, per
    period (``since.figures``), labelled with the series' name."""
    rows = []
    for key in keys:
        found = since.figures(ind, observations(ind.id, series=key), ind.series_unit(key))
        if found is None:  # no single figure stands for it: every row, by breakdown
            obs = observations(ind.id, series=key)
            rows += _lines(ind, obs, lambda r, key=key: _series_label(ind, r)).to_dict("records")
            continue
        rows += _figure_lines(ind, found[1], ind.series[key].label).to_dict("records")
    return pd.DataFrame(rows, columns=LINE_COLUMNS)


def _figure_lines(ind: s.Indicator, figs: list, label: str) -> pd.DataFrame:
    """Figures (``since.Figure``) as one chart line."""
    return pd.DataFrame(
        [
            {
                "Series": label,
                "Period": period_label(f.period),
                "Date": s.period_date(f.period).isoformat(),
                "Value": f.value,
                "Decimals": f.decimals or 0,
                "Source": f.source,
            }
            for f in figs
        ],
        columns=LINE_COLUMNS,
    )


def indicator_figure(ind: s.Indicator, depth: int, whole: bool = True) -> Markup:
    """An indicator's charts: its total (or its one series) with any series counted another
    way, the breakdown on demand, and each series in another unit on a panel of its own; then,
    when ``whole``, the table of every observation, else a link to it."""
    obs = observations(ind.id)
    if obs.empty:
        return Markup("<p>No observations have been recorded for this indicator yet.</p>")
    main = obs[obs["series"] == ""]
    other = obs[obs["series"] != ""]
    same = other["series"].map(lambda x: series_unit(ind, x) == ind.unit).astype(bool)
    same_unit, own_unit = other[same], other[~same]
    out: list[Markup] = []
    breakdown = headline = None
    filled = since.filled(main) if not main.empty else pd.Series(dtype=int)
    totals = _totals(ind, main)
    if main.empty or filled.max() == 0:
        lines = _lines(ind, main, lambda r: ind.title)
    elif totals is not None:  # per period, the total at the most aggregated level it gives
        lines = _figure_lines(ind, since.figures(ind, main, ind.unit)[1], "Total")
        breakdown = main[filled > 0]
    elif (found := since.headline_rows(ind, main)) is not None and len(found[1]) < len(main):
        headline, rows = found  # the headline value of a breakdown, drawn alone; all in the table
        headline = ind.main_label or headline
        lines, breakdown = _lines(ind, rows, lambda r: headline), main
    else:
        lines, breakdown = None, main

    extra = _series_lines(ind, [k for k in ind.series if k in set(same_unit["series"])])
    dashed = set(extra["Series"])
    title = ind.title if totals is None or breakdown is None else f"{ind.title}: total"
    title = headline or title
    colours = {name: charts.COLOURS["primary"] for name in ("Total", ind.title, headline) if name}
    same_series = {""} | {k for k in ind.series if series_unit(ind, k) == ind.unit}
    for i, (shown, heading) in enumerate(_same_unit_charts(ind, lines, extra, title)):
        name = f"{ind.id}.csv" if i == 0 else f"{ind.id}_other_{i}.csv"
        marks = _drawn_targets(ind, same_series) if i == 0 else []
        out.append(
            _trend(ind, shown, ind.unit, heading, name, depth, dashed, marks, colours).html()
        )
    if breakdown is not None and not breakdown.empty:
        out.append(_breakdown(ind, breakdown, depth, open_=lines is None))
    for series in dict.fromkeys(own_unit["series"]):
        unit = series_unit(ind, series)
        panel = _series_lines(ind, [series])
        out.append(
            _trend(
                ind,
                panel,
                unit,
                f"{ind.series[series].label} ({s.UNITS[unit].long}, another unit: its own axis)",
                f"{ind.id}_{series}.csv",
                depth,
                set(panel["Series"]),
                _drawn_targets(ind, {series}),
            ).html()
        )
    return templates.html(
        "indicator_figures.html",
        figures=out,
        depth=depth,
        indicator=ind.id,
        count=len(obs),
        download=all_observations_path(ind.id),
        table=observations_table(ind, obs, depth) if whole else None,
    )


def observations_table(ind: s.Indicator, obs: pd.DataFrame, depth: int) -> Markup:
    """Every observation in time order, one block per series and source that names its unit,
    source and shared note once (a monthly series of hundreds of rows stays light), each row
    with its anchor."""
    blocks: dict[tuple, dict] = {}
    for _, r in _sorted(obs).iterrows():
        unit = s.UNITS[series_unit(ind, r["series"])].long
        label = _series_label(ind, r)
        block = blocks.setdefault(
            (label, unit, r["source"]),
            {"label": label, "unit": unit, "source": r["source"], "rows": []},
        )
        block["rows"].append(
            {
                "id": row_anchor(r["line"]),
                "period": period_label(r["period"]),
                "value": _as_printed(r),
                "status": r["status"],
                "note": r["note"],
            }
        )
    for block in blocks.values():
        notes = {row["note"] for row in block["rows"]}
        block["note"] = notes.pop() if len(notes) == 1 and len(block["rows"]) > 1 else ""
        if block["note"]:
            for row in block["rows"]:
                row["note"] = ""
    return templates.html(
        "observations.html",
        caption=f"All observations: {ind.title}",
        blocks=list(blocks.values()),
        notes=any(row["note"] for block in blocks.values() for row in block["rows"]),
        depth=depth,
    )


def all_observations_path(indicator_id: str) -> str:
    """Where the built site keeps the CSV of an indicator's observations, from its root."""
    return f"data/indicators/{indicator_id}.csv"


def all_observations_csv(ind: s.Indicator) -> str:
    """The CSV of every observation of an indicator as its page's table shows them, with their
    sources, safe to open in a spreadsheet."""
    return spreadsheet_safe(series_frame(ind)).to_csv(index=False)


def _same_unit_charts(ind, lines, extra, title) -> list[tuple[pd.DataFrame, str]]:
    """The main lines and the series counted another way in the same unit, as one chart, or,
    when that would draw more lines than a reader can tell apart, the main lines first and the
    other definitions after them, a few to a chart."""
    parts = [x for x in (lines, extra) if x is not None and not x.empty]
    if not parts:
        return []
    together = pd.concat(parts)
    if together["Series"].nunique() <= charts.MAX_SERIES:
        return [(together, title)]
    names = list(dict.fromkeys(extra["Series"]))
    chunks = [names[i : i + charts.MAX_SERIES] for i in range(0, len(names), charts.MAX_SERIES)]
    other = f"{ind.title}: counted on other definitions (not comparable with each other)"
    out = [(lines, title)] if lines is not None and not lines.empty else []
    return out + [(extra[extra["Series"].isin(c)], other) for c in chunks]


def _breakdown(ind: s.Indicator, rows: pd.DataFrame, depth: int, open_: bool) -> Markup:
    """The breakdown of an indicator: lines of its first breakdown over time (no more than a
    reader can tell apart), or bars when there is one period."""
    used = [b for b in s.BREAKDOWNS if (rows[b] != "").any()]
    by = " and ".join(ind.breakdowns[b].label.lower() for b in used)
    title = ind.title if open_ else f"{ind.title}, by {by}"
    if rows["period"].nunique() == 1:
        labelled = _lines(ind, rows, lambda r: _breakdown_label(ind, r))
        figure = _bars(ind, labelled, ind.unit, title, f"{ind.id}_breakdown.csv", depth).html()
    else:
        first = used[0]
        if since.adds_up(ind, rows):  # each group's coarsest rows: a total is not added twice
            filled = since.filled(rows)
            coarsest = filled == filled.groupby([rows[first], rows["period"]]).transform("min")
            grouped = (
                rows[coarsest]
                .groupby([first, "period"], sort=False)
                .agg(
                    value=("value", "sum"),
                    source=("source", "first"),
                    line=("line", "min"),
                    decimals=("decimals", "max"),
                )
                .reset_index()
            )
            for b in s.BREAKDOWNS:
                grouped[b] = grouped[b] if b in grouped else ""
            grouped["series"] = ""
            title = f"{ind.title}, by {ind.breakdowns[first].label.lower()}"
        else:
            grouped = rows
        labelled = _lines(ind, grouped, lambda r: _breakdown_label(ind, r))
        names = list(dict.fromkeys(labelled["Series"]))
        name = f"{ind.id}_breakdown.csv"
        if len(names) <= charts.MAX_SERIES:
            figure = _trend(ind, labelled, ind.unit, title, name, depth).html()
        elif len(names) <= charts.MAX_PANELS:
            title += ": a chart for each, on the same scales"
            order = _ranked(ind, labelled, first)
            labelled = labelled.sort_values(
                "Series", key=lambda x: x.map(order.index), kind="stable"
            )
            figure = _trend(ind, labelled, ind.unit, title, name, depth, multiples=True).html()
        else:  # the headline value and the largest, a few
            chosen = _ranked(ind, labelled, first)[: charts.MAX_SERIES]
            labelled = labelled[labelled["Series"].isin(chosen)]
            title += (
                f": the {len(chosen)} shown of {len(names)} (the headline and the largest); "
                "every group is in the table of all observations"
            )
            figure = _trend(ind, labelled, ind.unit, title, name, depth).html()
    return templates.html("breakdown.html", title=title, figure=figure, open_=open_)


def _ranked(ind: s.Indicator, lines: pd.DataFrame, breakdown: str) -> list[str]:
    """A breakdown's lines, the headline value first, then the largest by its latest figure."""
    latest = lines.groupby("Series", sort=False)["Value"].last().sort_values(ascending=False)
    head = ind.breakdowns[breakdown].headline
    first = [ind.breakdowns[breakdown].values[head]] if head else []
    return first + [n for n in latest.index if n not in first]


def indicator_page(ind: s.Indicator, recs: list, today: date) -> str:
    set_by = since.policy_of_target()
    return templates.myst(
        "indicator.md",
        ind=ind,
        label=kinds.anchor("indicator", ind.id),
        unit=s.UNITS[ind.unit].long,
        targets=[
            {
                "t": t,
                "value": with_unit(t.value, ind.unit),
                "baseline": period_label(t.baseline_period) if t.baseline_period else "",
                "deadline": period_label(t.deadline) if t.deadline else "",
                "policy": set_by.get(t.id),
            }
            for t in ind.targets
        ],
        series_units={k: s.UNITS[x.unit].long if x.unit else "" for k, x in ind.series.items()},
        fresh=freshness(ind, today),
        since=since.summary(since.movement(ind.id, as_of=as_of())),
        provenances=provenances(ind.id),
        facts=facts_table(ind.id, f"Other figures about this measure: {ind.title}", depth=1),
        figure=indicator_figure_html(ind.id, 1),
        by_organisation=organisations.html(ind.id, 1),
        using=[r for r in recs if ind.id in r.indicators],
    )


def _measured(m: since.Movement) -> str:
    """How an indicator has moved, without repeating its name: the part of the label after
    the title (a breakdown's headline), then the movement in short."""
    part = m.label.removeprefix(f"{m.indicator.title}: ") if m.label != m.indicator.title else ""
    text = since.in_short(m) or "no figure recorded"
    return f"{part}: {text}" if part else text


def recommendation_page(rec, theme_titles: dict, today: date) -> str:
    """A recommendation's page: where it stands now and on what evidence first, then how it is
    measured, what the report asked, the assessments over time and the indicators' charts."""
    orgs = bodies.by_id()
    inds = [
        {
            "ind": (ind := indicator(i)),
            "fresh": freshness(ind, today),
            "since": _measured(since.movement(i)),
            "figure": indicator_figure_html(i, 1, whole=False),
        }
        for i in rec.indicators
    ]
    now = rec.status[-1]
    return templates.myst(
        "recommendation.md",
        rec=rec,
        theme=theme_titles[rec.theme],
        addressees=[(a, bodies.name_now(a, orgs)) for a in rec.addressees],
        now=now,
        now_label=STATUS_LABELS[now.status],
        confidence=s.CONFIDENCE,
        now_evidence=[(x.kind, x.id, links.title(x.kind, x.id), x.note) for x in now.evidence],
        evidence=[(x.kind, x.id, links.title(x.kind, x.id)) for x in rec.evidence],
        statuses=[
            (st, STATUS_LABELS[st.status])
            for st in reversed(rec.status[:-1])
            if st.status != "published"  # the report itself: said under what the report asked
        ],
        published=rec.status[0].date,
        response=RESPONSE_LABELS[rec.response.status],
        indicators=inds,
        milestones=[m for m in records("milestones") if rec.number in m.recommendations],
    )


def dashboard(recs, theme_titles) -> str:
    orgs = bodies.by_id()
    ranks = {k: i for i, k in enumerate(STATUS_LABELS)}
    strength = {k: len(CONFIDENCE_LABELS) - i for i, k in enumerate(CONFIDENCE_LABELS)}
    rows = []
    for r in recs:
        movement, measured = since.short_since(r.indicators)
        status = r.status[-1].status
        confidence = r.status[-1].confidence
        rows.append(
            {
                "rec": r,
                "href": links.href("recommendation", r.number, 1),
                "theme": theme_titles[r.theme],
                "theme_key": r.theme,
                "addressees": "; ".join(bodies.name_now(a, orgs) for a in r.addressees),
                "status": STATUS_LABELS[status],
                "status_key": status,
                "status_rank": ranks[status],
                "confidence": CONFIDENCE_LABELS.get(confidence, "Not rated"),
                "confidence_key": confidence or "",
                "confidence_rank": strength.get(confidence, 0),
                "date": r.status[-1].date.isoformat(),
                "movement": movement,
                "indicator_href": links.href("indicator", measured, 1) if measured else "",
            }
        )
    counts = since.status_counts(recs)
    table = templates.html(
        "dashboard_table.html",
        rows=rows,
        counts=counts,
        confidences=since.confidence_counts(recs),
        themes=[(k, v) for k, v in theme_titles.items() if any(r.theme == k for r in recs)],
    )
    return templates.myst(
        "dashboard.md",
        table=table,
        counts=counts,
        report_month=period_label(since.REPORT_MONTH),
    )


def by_addressee(recs) -> str:
    """The bodies addressed, who holds each remit today, and the status of what was asked."""
    orgs = bodies.by_id()

    def group(org):
        asked = [r for r in recs if org.id in r.addressees]
        return {
            "org": org,
            "chain": [orgs[x] for x in bodies.chain(org.id, orgs)],
            "recs": [
                (r, STATUS_LABELS[r.status[-1].status], r.status[-1].date.isoformat())
                for r in asked
            ],
            "took": [o for o in orgs.values() if any(c.became == org.id for c in o.changes)],
        }

    groups = [group(o) for o in orgs.values()]
    return templates.myst(
        "by_addressee.md",
        addressed=[g for g in groups if g["recs"]],
        others=[g for g in groups if not g["recs"]],
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One dated entry of the timeline: a policy, a milestone, a change to a body, the report."""

    date: str
    title: str
    kind_label: str
    summary: str
    source: str
    body: str = ""
    anchor: str | None = None  # set where the timeline is the record's own place
    see: str = ""  # a link to where the record is shown, when that is elsewhere
    targets: tuple = ()  # (indicator, target, target in words) for each target a policy sets
    recommendations: tuple[int, ...] = ()

    @property
    def when(self) -> str:
        return period_label(self.date)


def timeline_entries() -> list[TimelineEntry]:
    """Policies (from 2016), milestones, organisation changes and the report itself, as
    timeline entries in date order (an event known only by its year comes first in it)."""
    targets = {t.id: (ind, t) for ind in indicators().values() for t in ind.targets}
    out = [
        TimelineEntry(
            date=since.REPORT_MONTH,
            title="The future of the mental health workforce",
            kind_label="The report",
            body="Centre for Mental Health for the NHS Confederation Mental Health Network",
            summary="The report this knowledge base retells, with its "
            f"{len(records('recommendations'))} recommendations.",
            see=kinds.doc("chapters/recommendations", "Its recommendations."),
            source="cmh2017",
        )
    ]
    for p in records("policies"):
        if s.period_sort_key(p.date) < "2016":
            continue
        out.append(
            TimelineEntry(
                date=p.date,
                title=p.title,
                kind_label=p.kind.capitalize(),
                summary=p.summary,
                source=p.source,
                body=p.body,
                anchor=None if p.in_report else kinds.anchor("policy", p.id),
                see=links.link("policy", p.id, "In the report's policy chapter.")
                if p.in_report
                else "",
                targets=tuple(
                    (ind, t, since.target_text(t, ind.unit))
                    for ind, t in (targets[x] for x in p.targets)
                ),
                recommendations=tuple(sorted(p.recommendations)),
            )
        )
    for m in records("milestones"):
        out.append(
            TimelineEntry(
                date=m.date,
                title=m.title,
                kind_label=s.MILESTONE_KINDS[m.kind],
                summary=m.summary,
                source=m.source,
                body=m.body,
                anchor=kinds.anchor("milestone", m.id),
                recommendations=tuple(sorted(m.recommendations)),
            )
        )
    orgs = bodies.by_id()
    addressed = {a for r in records("recommendations") for a in r.addressees}
    for o in orgs.values():
        for c in o.changes:
            after = f" Its remit passed to {orgs[c.became].name}." if c.became else ""
            out.append(
                TimelineEntry(
                    date=c.date,
                    title=o.name,
                    kind_label="A change to a body the report addressed"
                    if o.id in addressed
                    else "A change to a body that took over a remit",
                    summary=c.what.rstrip(".") + "." + after,
                    source=c.source,
                    see=links.link("organisation", o.id, "Bodies then and now."),
                )
            )
    return sorted(out, key=lambda e: e.date)


def timeline() -> str:
    entries = timeline_entries()
    years = [
        (y, [e for e in entries if e.date[:4] == y]) for y in sorted({e.date[:4] for e in entries})
    ]
    return templates.myst("timeline.md", years=years)


def indicator_index(inds: dict, today: date) -> str:
    rows = [(i, s.UNITS[i.unit].long, latest(i, as_of()) or "None yet") for i in inds.values()]
    return templates.myst("indicators.md", rows=rows)


def recommendations_json() -> str:
    """The 22 records as published in data/recommendations.json."""
    out = []
    for r in records("recommendations"):
        d = r.model_dump(mode="json")
        out.append(
            {
                "number": d["number"],
                "theme": d["theme"],
                "title": d["title"],
                "paraphrase": d["paraphrase"],
                "addressees": d["addressees"],
                "evidence": d["evidence"],
                "indicators": d["indicators"],
                "status": d["status"],
                "response": d["response"],
            }
        )
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def _write(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def record_page(kind: str, record, context: dict) -> str:
    """The page of one record of a kind with a page per record, from the kind's template.

    Recommendations and indicators get their figures and links; any other kind gets its
    ``record`` and ``label`` (its anchor, for the page's target).
    """
    if kind == "recommendation":
        return recommendation_page(record, context["themes"], context["today"])
    if kind == "indicator":
        return indicator_page(record, context["recs"], context["today"])
    k = kinds.KINDS[kind]
    return templates.myst(k.template, record=record, label=k.anchor_of(getattr(record, k.key)))


def generate(today: date | None = None) -> tuple[int, int]:
    """Write every tracker page; return (pages, pages rewritten)."""
    today = today or date.today()
    data_last_changed.cache_clear()
    _figures.clear()
    _used.clear()
    if FIGURE_CACHE.exists():
        _figures.update(json.loads(FIGURE_CACHE.read_text(encoding="utf-8")))
    charts.setup()
    recs = records("recommendations")
    themes = {t.id: t.title for t in records("themes")}
    inds = indicators()
    context = {"themes": themes, "recs": recs, "today": today}
    pages = {
        CHAPTERS / f"{k.page_of(r)}.md": record_page(k.name, r, context)
        for k in kinds.KINDS.values()
        if k.generated
        for r in links.all_records(k.name)
    }
    pages[CHAPTERS / f"{kinds.DASHBOARD}.md"] = dashboard(recs, themes)
    pages[CHAPTERS / f"{kinds.BY_ADDRESSEE}.md"] = by_addressee(recs)
    pages[CHAPTERS / f"{kinds.TIMELINE}.md"] = timeline()
    pages[CHAPTERS / "indicators.md"] = indicator_index(inds, today)
    folders = {p.parent for p in pages if p.parent != CHAPTERS}
    stale = [p for f in folders for p in f.glob("*.md") if p not in pages]  # removed records
    for p in stale:
        p.unlink()
    written = sum(_write(p, text) for p, text in pages.items())
    FIGURE_CACHE.parent.mkdir(parents=True, exist_ok=True)
    FIGURE_CACHE.write_text(json.dumps({k: _figures[k] for k in sorted(_used)}), encoding="utf-8")
    return len(pages), written + len(stale)
