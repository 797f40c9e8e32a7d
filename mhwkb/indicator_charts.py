"""An indicator's charts and its table of every observation, as one HTML fragment, kept
between builds in ``_build/.cache/indicator_figures.json`` and drawn again only when a part of
the data it read, or anything else that shapes it, changed."""

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import vl_convert
from markupsafe import Markup

from mhwkb import charts, fields, scales, since, templates
from mhwkb import schemas as s
from mhwkb.data import indicator, observations, reading, source_name
from mhwkb.html import spreadsheet_safe
from mhwkb.indicator_data import (
    as_printed,
    breakdown_label,
    in_time_order,
    period_totals,
    printed,
    row_anchor,
    series_frame,
    series_label,
    series_unit,
)
from mhwkb.paths import ROOT
from mhwkb.prose import axis_title, period_label, with_unit
from mhwkb.refresh import file_digest

FIGURE_CACHE = ROOT / "_build" / ".cache" / "indicator_figures.json"


# key -> {"reads": digest of each part of the data read to draw it, "html": the drawing}, loaded
# from and saved to FIGURE_CACHE by generate()
_figures: dict[str, dict] = {}


_used: set[str] = set()


PACKAGE = Path(__file__).parent


def load_kept() -> None:
    """Start a build with the drawings kept by the last one."""
    _figures.clear()
    _used.clear()
    if FIGURE_CACHE.exists():
        _figures.update(json.loads(FIGURE_CACHE.read_text(encoding="utf-8")))


def save_kept() -> None:
    """Keep the drawings this build used, and only those."""
    FIGURE_CACHE.parent.mkdir(parents=True, exist_ok=True)
    FIGURE_CACHE.write_text(json.dumps({k: _figures[k] for k in sorted(_used)}), encoding="utf-8")


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
            fields.period_end(t.deadline).isoformat(),
            fields.period_date(b.period).isoformat() if b else None,
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
    obs = in_time_order(obs)
    return pd.DataFrame(
        {
            "Series": [label(r) for _, r in obs.iterrows()],
            "Period": obs["period"].map(period_label).to_list(),
            "Date": obs["period"].map(lambda p: fields.period_date(p).isoformat()).to_list(),
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
            rows += _lines(ind, obs, lambda r, key=key: series_label(ind, r)).to_dict("records")
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
                "Date": fields.period_date(f.period).isoformat(),
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
    totals = period_totals(ind, main)
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
                f"{ind.series[series].label} ({scales.UNITS[unit].long}, another unit: its own axis)",
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
    """Every observation in time order, one block per series under the unit and source it is
    counted in (named once, in the caption when every block shares them, else above their
    blocks), with the note its rows share; a monthly series of hundreds of rows stays light,
    and each row has its anchor."""
    blocks: dict[tuple, dict] = {}
    for _, r in in_time_order(obs).iterrows():
        unit = scales.UNITS[series_unit(ind, r["series"])].long
        label = series_label(ind, r)
        block = blocks.setdefault(
            (label, unit, r["source"]),
            {"label": label, "unit": unit, "source": r["source"], "rows": []},
        )
        block["rows"].append(
            {
                "id": row_anchor(r["line"]),
                "period": period_label(r["period"]),
                "value": as_printed(r),
                "status": r["status"],
                "note": r["note"],
            }
        )
    sections: dict[tuple, dict] = {}
    for block in blocks.values():
        notes = {row["note"] for row in block["rows"]}
        block["note"] = notes.pop() if len(notes) == 1 and len(block["rows"]) > 1 else ""
        if block["note"]:
            for row in block["rows"]:
                row["note"] = ""
        key = (block["unit"], block["source"])
        heading = key[0][:1].upper() + key[0][1:]  # the unit, when it heads its section
        sections.setdefault(
            key, {"unit": key[0], "heading": heading, "source": key[1], "blocks": []}
        )
        sections[key]["blocks"].append(block)
    return templates.html(
        "observations.html",
        caption=f"All observations: {ind.title}",
        sections=list(sections.values()),
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
    used = [b for b in fields.BREAKDOWNS if (rows[b] != "").any()]
    by = " and ".join(ind.breakdowns[b].label.lower() for b in used)
    title = ind.title if open_ else f"{ind.title}, by {by}"
    if rows["period"].nunique() == 1:
        labelled = _lines(ind, rows, lambda r: breakdown_label(ind, r))
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
            for b in fields.BREAKDOWNS:
                grouped[b] = grouped[b] if b in grouped else ""
            grouped["series"] = ""
            title = f"{ind.title}, by {ind.breakdowns[first].label.lower()}"
        else:
            grouped = rows
        labelled = _lines(ind, grouped, lambda r: breakdown_label(ind, r))
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
