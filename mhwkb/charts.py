"""Charts for the chapters and tracker pages: readable on a phone, in print and without
JavaScript, interactive when a reader reaches for them.

Each chart is drawn at build time as two static SVGs (vl-convert): a narrow one for phones
and a wide one, chosen by the width the chart is given (a CSS container query). Titles,
legends and captions are HTML, so they wrap instead of being cut. When a reader points at,
touches or focuses a chart, ``_static/kb-charts.js`` loads the Vega bundle and redraws the
chart at the width it has, with tooltips. Chart ids derive from the spec, so re-running a
chapter gives identical output. Each figure carries a description, the data as a table, a
CSV download and a source line.
"""

import hashlib
import json
import re
import textwrap
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import altair as alt
import pandas as pd
from markupsafe import Markup

from mhwkb import kept, templates
from mhwkb.html import csv_link, source_line, table, with_source
from mhwkb.paths import ROOT

# One colour per meaning, used across the book; SERIES colours are told apart in one chart
# (at most MAX_SERIES of them) and in print, and keep 3:1 contrast on light and dark pages.
COLOURS = {
    "primary": "#005EB8",  # NHS blue: the main or total series
    "highlight": "#D5281B",  # emphasis (the UK in international comparisons)
    "earlier": "#7FA9D9",
    "later": "#003087",
    "target": "#768692",
}
SERIES = ["#005EB8", "#ED8B00", "#007F3B", "#AE2573", "#330072", "#00A499"]
MAX_SERIES = len(SERIES)
MAX_PANELS = 12  # groups a breakdown draws as small multiples, one small chart each
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
MAX_MARKED = 36  # points on a line beyond which it is drawn without markers
NARROW, WIDE = 320, 640  # static drawing widths in px: phones (from 360 px) and wider
SVG_CACHE = ROOT / "_build" / ".cache" / "svg"


def _config() -> dict:
    return {
        "font": FONT,
        "background": None,
        "view": {"stroke": None, "continuousWidth": WIDE, "continuousHeight": 260},
        "axis": {
            "labelFontSize": 12,
            "titleFontSize": 12,
            "grid": False,
            "labelLimit": 0,
            "titleLimit": 0,
            "labelColor": "#212B32",
            "titleColor": "#212B32",
            "domainColor": "#4C6272",
            "tickColor": "#4C6272",
        },
        "text": {"color": "#212B32", "fontSize": 12},
        "bar": {"color": COLOURS["primary"]},
        "range": {"category": SERIES},
    }


def _theme() -> alt.theme.ThemeConfig:
    return {"config": _config()}


def _title(spec: dict) -> str:
    title = spec.get("title", "")
    return title.get("text", "") if isinstance(title, dict) else str(title)


def _chart_id(spec: dict) -> str:
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    return "chart-" + hashlib.sha1(text.encode()).hexdigest()[:12]


@cache
def _vl_convert():
    import vl_convert

    return vl_convert


@cache
def _drawing_code() -> str:
    return Path(__file__).read_text(encoding="utf-8") + _vl_convert().__version__


class Drawing(NamedTuple):
    key: str  # its name in SVG_CACHE, also written on the page beside it (see keep_drawings)
    svg: Markup


def static_svg(spec: dict, width: int, prefix: str) -> Drawing:
    """The chart drawn at ``width`` px as SVG, its ids prefixed so many can share a page. Kept
    in _build/.cache/svg by its spec, prefix and this code, so re-running a chapter redraws
    only the charts that changed."""
    sized = {**spec, "width": width, "autosize": {"type": "fit-x", "contains": "padding"}}
    sized["config"] = {**_config(), **spec.get("config", {})}
    text = json.dumps(sized, sort_keys=True, separators=(",", ":"))
    key = hashlib.sha256((text + prefix + _drawing_code()).encode()).hexdigest()
    path = SVG_CACHE / f"{key}.svg"
    if path.exists():
        return Drawing(key, Markup(path.read_text(encoding="utf-8")))
    svg = _minify(_vl_convert().vegalite_to_svg(sized))
    svg = re.sub(r'(\bid="|url\(#|href="#)', rf"\g<1>{prefix}-", svg)
    svg = svg.replace("<svg ", '<svg focusable="false" aria-hidden="true" ', 1)
    _keep(key, svg)
    return Drawing(key, Markup(svg))


def _keep(key: str, svg: str) -> None:
    kept.write_whole(SVG_CACHE / f"{key}.svg", svg.encode("utf-8"))


# A drawing as chart.html shows it: SVG text holds no "<svg" (vl-convert escapes "<" in text).
_SHOWN = re.compile(r'data-drawing="([0-9a-f]{64})">(<svg\b.*?</svg>)</div>', re.S)


def keep_drawings(html: str) -> None:
    """Put the drawings a page or stored output shows into SVG_CACHE, under the keys written
    beside them: a chapter whose outputs were stored elsewhere (a fresh clone) then redraws
    only the charts whose spec changed when it is re-run."""
    for key, svg in _SHOWN.findall(html):
        if not (SVG_CACHE / f"{key}.svg").exists():
            _keep(key, svg)


_WASTE = [
    re.compile(r' (?:aria-[a-z]+|role)="[^"]*"'),  # the drawing is hidden: its label is the box's
    re.compile(r' (?:pointer-events="none"|opacity="1"|font-family="[^"]*")'),  # font: from CSS
    re.compile(r' (?:xmlns(?::xlink)?="[^"]*"|version="1.1")'),  # inline SVG needs no namespace
    re.compile(r'<path class="(?:background|foreground)" d="(?:M0,0h0v0h0Z)?"[^>]*/>'),
]
_DECIMALS = re.compile(r"(\d+\.\d)\d+")
_ATTRIBUTE = re.compile(r'="[^"]*"')


def _minify(svg: str) -> str:
    """A static drawing without what it does not need: it weighs a third as much."""
    for pattern in _WASTE:
        svg = pattern.sub("", svg)
    # Coordinates to a tenth of a pixel (in attributes only: text keeps every digit).
    return _ATTRIBUTE.sub(lambda m: _DECIMALS.sub(r"\1", m.group(0)), svg)


def chart_html(spec: dict, label: str, description: str, wide: bool = True) -> Markup:
    """A chart: static SVGs for every width, and its spec for the interactive redraw. A panel
    of small multiples is never 600 px wide (its grid adds a column first), so it is drawn
    narrow only (``wide=False``)."""
    spec = {k: v for k, v in spec.items() if k not in ("$schema", "title")}
    chart_id = _chart_id(spec)
    live = {**spec, "autosize": {"type": "fit-x", "contains": "padding"}}  # width: set live
    return templates.html(
        "chart.html",
        chart_id=chart_id,
        label=label,
        description=description,
        narrow=static_svg(spec, NARROW, f"{chart_id}-n"),
        wide=static_svg(spec, WIDE, f"{chart_id}-w") if wide else None,
        spec=Markup(
            json.dumps(live, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
        ),
    )


def render(spec: dict, **_) -> dict:
    """Altair renderer for a chart shown on its own: the same static and live drawing."""
    label = _title(spec)
    html = chart_html(spec, label, spec.get("description", ""))
    return {"text/html": str(html), "text/plain": f"<chart: {label}>"}


def setup() -> None:
    """Register the theme and renderer and set display options; call once per chapter."""
    alt.theme.register("kb", enable=True)(_theme)
    alt.renderers.register("kb", render)
    alt.renderers.enable("kb")
    pd.set_option("display.precision", 2)


class Figure:
    """A chart with its title, legend, text alternative, data table, download and source."""

    def __init__(
        self,
        chart: alt.Chart | list[tuple[str, alt.Chart]],  # one chart, or small multiples
        data: pd.DataFrame,
        *,
        title: str,
        description: str,
        source: str | list[str],
        filename: str,
        legend: list[dict] = (),
        number_format: str = "{:,.0f}",
        depth: int = 0,
        numeric: set[str] = frozenset(),
    ):
        self.chart, self.data, self.title, self.description = chart, data, title, description
        self.source, self.filename, self.number_format = source, filename, number_format
        self.legend, self.depth, self.numeric = list(legend), depth, set(numeric)

    def html(self) -> Markup:
        if isinstance(self.chart, list):
            drawing = templates.html(
                "multiples.html",
                panels=[
                    (
                        name,
                        chart_html(
                            c.to_dict(validate=False),
                            f"{self.title}: {name}",
                            self.description,
                            wide=False,
                        ),
                    )
                    for name, c in self.chart
                ],
            )
        else:
            drawing = chart_html(self.chart.to_dict(validate=False), self.title, self.description)
        return templates.html(
            "figure.html",
            title=self.title,
            chart=drawing,
            legend=self.legend,
            description=self.description,
            data_table=table(  # each row's source is in the download; the line below names all
                self.data.drop(columns=["Source"], errors="ignore"),
                caption=f"Data: {self.title}",
                source=[],  # named once, under the chart
                filename=self.filename,
                number_format=self.number_format,
                depth=self.depth,
                download=False,
                numeric=self.numeric,
            ),
            source=source_line(self.source, depth=self.depth),
            download=csv_link(with_source(self.data, self.source), self.filename),
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": str(self.html()), "text/plain": f"<figure: {self.title}>"}


def _legend_entry(label: str, colour: str, dashed: bool = False, mark: str = "line") -> dict:
    return {"label": label, "colour": colour, "dashed": dashed, "mark": mark}


NAME_CHARS = 40  # a bar's name is wrapped at this many characters: a phone's drawing width
LINE = 15  # px between the lines of a wrapped name


def _room_for_values(values: pd.Series) -> list[float]:
    """The value axis with room beyond the longest bar for its printed value, either side."""
    low, high = min(float(values.min()), 0.0), max(float(values.max()), 0.0)
    span = (high - low) or 1.0
    return [low - 0.28 * span if low < 0 else 0.0, high + 0.22 * span if high > 0 else 0.0]


def bars(
    data: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    value_title: str,
    description: str,
    source: str | list[str],
    filename: str,
    highlight: str | None = None,
    colour: str | None = None,
    number_format: str = "{:,.0f}",
    value_format: str = ",.0f",
    depth: int = 0,
) -> Figure:
    """Horizontal bars of ``value`` by ``category``, each labelled above its bar, with its value.

    ``highlight`` names one category drawn in the emphasis colour (and marked in its label,
    so colour is never the only cue); ``colour`` names a column for side-by-side bars.
    Labels sit above the bars, so long names never squeeze the chart on a narrow screen.
    """
    frame = pd.DataFrame(
        {"cat": data[category].astype(str), "val": data[value].astype(float).to_list()}
    )
    if highlight is not None:
        frame["cat"] = [f"{c} (highlighted)" if c == highlight else c for c in frame["cat"]]
    order = list(dict.fromkeys(frame["cat"]))
    legend = []
    groups = []
    if colour:
        frame["grp"] = data[colour].astype(str).to_list()
        groups = list(dict.fromkeys(frame["grp"]))
        palette = (
            [COLOURS["earlier"], COLOURS["later"]] if len(groups) == 2 else SERIES[: len(groups)]
        )
        legend = [_legend_entry(g, c, mark="bar") for g, c in zip(groups, palette, strict=True)]
    if not colour:
        frame["grp"] = ""
        groups = [""]
    # Each name above its bars, wrapped so it never runs past a phone's width.
    wrapped = {c: textwrap.wrap(c, NAME_CHARS) or [c] for c in order}
    top, thick = 5 + LINE * max(len(v) for v in wrapped.values()), 18  # names, then bars

    step = top + thick * len(groups) + 12
    offset = alt.YOffset(
        "grp:N",
        sort=groups,
        scale=alt.Scale(range=[top, top + thick * len(groups)], paddingInner=0.12),
    )
    y = alt.Y("cat:N", sort=order, axis=None, title=category, bandPosition=0)
    base = alt.Chart(frame).encode(y=y, yOffset=offset)
    x = alt.X(
        "val:Q",
        title=value_title,
        axis=alt.Axis(format=value_format, tickCount=4, labelFlush=True, titleAnchor="start"),
        scale=alt.Scale(domain=_room_for_values(frame["val"]), nice=True),
    )
    tooltip = [
        alt.Tooltip("cat:N", title=category),
        alt.Tooltip("val:Q", title=value_title, format=value_format),
    ]
    encode = {"x": x, "tooltip": tooltip}
    if colour:
        encode["color"] = alt.Color(
            "grp:N",
            scale=alt.Scale(domain=groups, range=[e["colour"] for e in legend]),
            legend=None,
        )
        tooltip.insert(1, alt.Tooltip("grp:N", title=colour))
    elif highlight is not None:
        encode["color"] = alt.condition(
            alt.datum.cat == f"{highlight} (highlighted)",
            alt.value(COLOURS["highlight"]),
            alt.value(COLOURS["primary"]),
        )
    bar_mark = base.mark_bar().encode(**encode)
    negative = "datum.val < 0"
    values = base.mark_text(
        align=alt.expr(f"{negative} ? 'right' : 'left'"),
        dx=alt.expr(f"{negative} ? -3 : 3"),
        fontSize=11,
    ).encode(x="val:Q", text=alt.Text("val:Q", format=value_format))
    named = frame.drop_duplicates("cat").assign(lines=lambda f: f["cat"].map(wrapped))
    names = (
        alt.Chart(named)
        .mark_text(align="left", baseline="top", x=0, dy=3, fontWeight="bold", lineHeight=LINE)
        .encode(y=y, text="lines")
    )
    chart = alt.layer(bar_mark, values, names).properties(
        description=description,
        height=step * len(order),
    )
    chart = chart.configure_scale(bandPaddingInner=0, bandPaddingOuter=0)
    return Figure(
        chart,
        data,
        title=title,
        description=description,
        source=source,
        filename=filename,
        legend=legend,
        number_format=number_format,
        depth=depth,
    )


@dataclass(frozen=True)
class TargetMark:
    """A target drawn at its deadline: the level due then, reached from its baseline."""

    label: str
    level: float
    deadline: str  # ISO date of the deadline's last day
    start: str | None = None  # ISO date of the baseline
    baseline: float | None = None


def _midpoint(dates: list[str]) -> str:
    """The ISO date half-way between the first and the last of some ISO dates."""
    from datetime import date

    first, last = date.fromisoformat(min(dates)), date.fromisoformat(max(dates))
    return (first + (last - first) / 2).isoformat()


def _time_axis(dates: list[str]) -> alt.Axis:
    """Years on the axis when the chart spans more than two, months otherwise."""
    years = {d[:4] for d in dates}
    span = max(int(y) for y in years) - min(int(y) for y in years) if years else 0
    return alt.Axis(
        format="%Y" if span > 2 else "%b %Y",
        tickCount={"interval": "year", "step": max(1, span // 6)} if span > 2 else 4,
        labelAngle=0,
        labelOverlap="greedy",
        labelSeparation=8,
        labelPadding=6,
        labelFlush=True,
        labelBound=True,  # a label that would run past the chart's edge is not drawn
        grid=False,
        title=None,
    )


def _points(data: pd.DataFrame, line: str, number_format: str) -> pd.DataFrame:
    """The points a chart draws: line, period, date, value and the value as printed."""
    shown = data["Shown"] if "Shown" in data else data["Value"].map(number_format.format)
    return pd.DataFrame(
        {
            "line": data[line].astype(str).to_list(),
            "period": data["Period"].astype(str).to_list(),
            "date": data["Date"].astype(str).to_list(),
            "val": data["Value"].astype(float).to_list(),
            "shown": list(shown),
        }
    ).sort_values(["line", "date"], kind="stable")


def _over_time(chart, data: pd.DataFrame, value_title: str, **figure) -> Figure:
    """A chart of values over time with its data table: each value as its source prints it,
    in a column naming the unit."""
    table_frame = data.drop(columns=[c for c in ("Date", "Shown") if c in data])
    if "Shown" in data:
        table_frame = table_frame.assign(Value=list(data["Shown"]))
    return Figure(
        chart,
        table_frame.rename(columns={"Value": value_title}),
        numeric={value_title},
        **figure,
    )


def _day(iso: str) -> alt.DateTime:
    year, month, day = (int(x) for x in iso[:10].split("-"))
    return alt.DateTime(year=year, month=month, date=day)


def small_multiples(
    data: pd.DataFrame,
    *,
    line: str,
    title: str,
    value_title: str,
    description: str,
    source: str | list[str],
    filename: str,
    depth: int = 0,
    number_format: str = "{:,.0f}",
    value_format: str = ",.0f",
) -> Figure:
    """A breakdown of more groups than one chart can tell apart: a small chart per ``line``
    value (at most ``MAX_PANELS``), all on the same time and value scales, so each group is
    read on its own and compared with the others by height. ``data`` is as for ``trend``."""
    names = list(dict.fromkeys(data[line]))
    if len(names) > MAX_PANELS:
        raise ValueError(f"{len(names)} small charts; draw at most {MAX_PANELS}")
    frame = _points(data, line, number_format)
    dates = sorted(frame["date"])
    x = alt.X(
        "date:T",
        axis=_time_axis(dates),
        scale=alt.Scale(domain=[_day(dates[0]), _day(dates[-1])], padding=10),
    )
    y = alt.Y(
        "val:Q",
        title=value_title,
        axis=alt.Axis(format=value_format, tickCount=3, titlePadding=10),
        scale=alt.Scale(domain=[0, float(frame["val"].max())], nice=True),
    )
    tooltip = [
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("shown:N", title=value_title),
    ]
    panels = []
    for name in names:
        part = frame[frame["line"] == name]
        base = alt.Chart(part).encode(x=x, y=y, tooltip=tooltip)
        layers = [base.mark_line(strokeWidth=2, color=COLOURS["primary"])]
        if len(part) <= MAX_MARKED:
            layers.append(
                base.mark_point(size=50, filled=True, opacity=1, color=COLOURS["primary"])
            )
        panels.append((name, alt.layer(*layers).properties(description=description, height=110)))
    return _over_time(
        panels,
        data,
        value_title,
        title=title,
        description=description,
        source=source,
        filename=filename,
        number_format=number_format,
        depth=depth,
    )


def trend(
    data: pd.DataFrame,
    *,
    line: str,
    title: str,
    value_title: str,
    description: str,
    source: str | list[str],
    filename: str,
    targets: list[TargetMark] = (),
    dashed: set[str] = frozenset(),
    colours: dict[str, str] | None = None,
    depth: int = 0,
    number_format: str = "{:,.0f}",
    value_format: str = ",.0f",
) -> Figure:
    """Values over time, one line per ``line`` value, with targets at their deadlines.

    ``data`` has columns ``Period`` (labels), ``Date`` (where the period sits on the time
    axis, ISO), the ``line`` column, ``Value`` and optionally ``Shown`` (each value as its
    source prints it). Periods are placed on a time scale, so gaps keep their length. Lines
    named in ``dashed`` (another definition, not comparable) are dashed, hollow-marked and
    labelled where they start. Every point is drawn, so a series of one figure is still seen.
    """
    names = list(dict.fromkeys(data[line]))
    if len(names) > MAX_SERIES:
        raise ValueError(f"{len(names)} lines in one chart; show at most {MAX_SERIES}")
    colours = colours or {}
    reserved = {colours[n] for n in names if n in colours}
    palette = [c for c in SERIES if c not in reserved]
    colour_of = {n: colours.get(n) or palette.pop(0) for n in names}
    frame = _points(data, line, number_format)
    frame["dashed"] = frame["line"].isin(dashed)
    dates = [*frame["date"], *(x.deadline for x in targets)]
    x = alt.X("date:T", axis=_time_axis(dates), scale=alt.Scale(padding=14))
    color = alt.Color(
        "line:N", scale=alt.Scale(domain=names, range=[colour_of[n] for n in names]), legend=None
    )
    base = alt.Chart(frame).encode(
        x=x,
        y=alt.Y(
            "val:Q",
            title=value_title,
            axis=alt.Axis(format=value_format, tickCount=5, titlePadding=10),
            scale=alt.Scale(zero=True, nice=True),
        ),
        color=color,
        tooltip=[
            alt.Tooltip("line:N", title=line),
            alt.Tooltip("period:N", title="Period"),
            alt.Tooltip("shown:N", title=value_title),
        ],
    )
    # A marker on every point of a short line (a line of one figure is still seen); a long
    # monthly line is drawn as a line, its points in the table and the tooltips.
    frame["marked"] = frame.groupby("line")["date"].transform("count") <= MAX_MARKED
    solid = base.transform_filter("!datum.dashed")
    broken = base.transform_filter("datum.dashed")
    layers = [
        solid.mark_line(strokeWidth=2.5),
        broken.mark_line(strokeWidth=2.5, strokeDash=[6, 4]),
        solid.transform_filter("datum.marked").mark_point(size=90, filled=True, opacity=1),
        broken.transform_filter("datum.marked").mark_point(
            size=110, filled=False, strokeWidth=2.5, shape="diamond", opacity=1
        ),
    ]
    starts = frame[frame["dashed"]].drop_duplicates("line").drop_duplicates("date")
    if 0 < len(starts) <= 2 and not frame["dashed"].all():  # where another count begins
        middle = _midpoint(dates)
        for late, group in starts.groupby(starts["date"] > middle):
            layers.append(  # a label reads into the chart, never past its edge
                alt.Chart(group)
                .mark_text(
                    align="right" if late else "left",
                    dx=-8 if late else 8,
                    dy=-10,
                    fontSize=11,
                    text="another count",
                )
                .encode(x="date:T", y="val:Q", color=color)
            )
    legend = [
        _legend_entry(
            f"{n} (not comparable)" if n in dashed and "not comparable" not in n else n,
            colour_of[n],
            n in dashed,
        )
        for n in names
    ]
    if targets:
        marks = pd.DataFrame(
            [{"label": x.label, "date": x.deadline, "val": x.level} for x in targets]
        )
        paths = pd.DataFrame(
            [
                {"label": x.label, "date": d, "val": v}
                for x in targets
                if x.start is not None and x.baseline is not None
                for d, v in ((x.start, x.baseline), (x.deadline, x.level))
            ],
            columns=["label", "date", "val"],
        )
        tip = [
            alt.Tooltip("label:N", title="Target"),
            alt.Tooltip("val:Q", title=value_title, format=value_format),
        ]
        if not paths.empty:
            layers.append(
                alt.Chart(paths)
                .mark_line(color=COLOURS["target"], strokeDash=[2, 3], strokeWidth=2)
                .encode(x="date:T", y="val:Q", detail="label:N", tooltip=tip)
            )
        layers.append(
            alt.Chart(marks)
            .mark_point(shape="cross", size=140, filled=True, color=COLOURS["target"], opacity=1)
            .encode(x="date:T", y="val:Q", tooltip=tip)
        )
        layers.append(  # one word by the last cross; the legend names each target
            alt.Chart(marks.sort_values("date").tail(1))
            .mark_text(align="right", dx=-8, dy=-8, color=COLOURS["target"], text="Target")
            .encode(x="date:T", y="val:Q")
        )
        legend += [
            _legend_entry(f"Target: {x.label}", COLOURS["target"], True, "target") for x in targets
        ]
    chart = alt.layer(*layers).properties(description=description, height=240)
    return _over_time(
        chart,
        data,
        value_title,
        title=title,
        description=description,
        source=source,
        filename=filename,
        legend=legend,
        number_format=number_format,
        depth=depth,
    )


def write_bundle(path) -> None:
    """Write the Vega, Vega-Lite and Vega-Embed bundle (from vl-convert) that live charts load."""
    import vl_convert

    from mhwkb.paths import relative

    code = vl_convert.javascript_bundle()
    header = f"/* Vega, Vega-Lite and Vega-Embed, bundled by vl-convert-python {vl_convert.__version__}. */\n"
    # An IIFE keeps the bundle's top-level names out of the page's global scope.
    text = header + "(function(){\n" + code + "\n})();\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
        print(f"wrote {relative(path)}")
