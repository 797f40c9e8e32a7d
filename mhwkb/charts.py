"""Charts for the chapters: one theme, offline rendering, text alternatives, data at hand.

``setup()`` is called by every chapter's hidden preamble. Charts render through the
``kb`` renderer: a ``<figure>`` whose element id is derived from the spec (so re-running a
chapter gives identical output) and whose script calls ``vegaEmbed`` from the bundle the
site ships under ``_static`` (no request to any other host). Each figure carries a
description, the data as a table, a CSV download and a source line.
"""

import hashlib
import json

import altair as alt
import pandas as pd

from mhwkb.html import csv_link, e, source_line, table

# One colour per meaning, used across the book. Order matters for period comparisons.
COLOURS = {
    "primary": "#005EB8",  # NHS blue
    "highlight": "#D5281B",  # emphasis (the UK in international comparisons)
    "earlier": "#7FA9D9",
    "later": "#003087",
    "target": "#212B32",
}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 300},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "grid": False, "labelLimit": 260},
            "title": {"fontSize": 15, "anchor": "start"},
            "bar": {"color": COLOURS["primary"]},
            "range": {"category": [COLOURS["earlier"], COLOURS["later"], COLOURS["highlight"]]},
        }
    }


def _title(spec: dict) -> str:
    title = spec.get("title", "")
    return title.get("text", "") if isinstance(title, dict) else str(title)


def render(spec: dict, **_) -> dict:
    """Altair renderer: deterministic HTML that draws with the site's local Vega bundle."""
    spec = {k: v for k, v in spec.items() if k != "$schema"}  # a URL; the bundle needs no schema
    text = json.dumps(spec, sort_keys=True, separators=(",", ":"))
    chart_id = "chart-" + hashlib.sha1(text.encode()).hexdigest()[:12]
    safe = text.replace("<", "\\u003c")  # no "</script>" or "<!--" can end the script early
    script = (
        f"<script>(function(){{var el=document.getElementById('{chart_id}');"
        f"if(window.vegaEmbed){{vegaEmbed(el,{safe},{{mode:'vega-lite',actions:false,renderer:'svg'}});}}"
        "else{el.textContent='The chart needs JavaScript; its data is in the table below.';}})();</script>"
    )
    label = _title(spec)
    desc = spec.get("description", "")
    div = (
        f'<div class="kb-chart-canvas" id="{chart_id}" role="img" tabindex="0" '
        f'aria-label="{e(label)}. {e(desc)}"></div>'
    )
    return {"text/html": div + script, "text/plain": f"<chart: {label}>"}


def setup() -> None:
    """Register the theme and renderer and set display options; call once per chapter."""
    alt.theme.register("kb", enable=True)(_theme)
    alt.renderers.register("kb", render)
    alt.renderers.enable("kb")
    pd.set_option("display.precision", 2)


class Figure:
    """A chart with its text alternative, data table, download and source, shown together."""

    def __init__(
        self,
        chart: alt.Chart,
        data: pd.DataFrame,
        *,
        description: str,
        source: str | list[str],
        filename: str,
        number_format: str = "{:,.0f}",
        depth: int = 0,
    ):
        self.chart, self.data, self.description = chart, data, description
        self.source, self.filename, self.number_format = source, filename, number_format
        self.depth = depth

    def html(self) -> str:
        spec = self.chart.to_dict(validate=False)
        chart_html, title = render(spec)["text/html"], _title(spec)
        data_table = table(
            self.data,
            caption=f"Data: {title}",
            source=self.source,
            filename=self.filename,
            number_format=self.number_format,
            depth=self.depth,
        )
        return (
            f'<figure class="kb-figure">{chart_html}'
            f'<figcaption><p class="kb-desc">{e(self.description)}</p></figcaption>'
            f"<details><summary>Show the data behind this chart</summary>{data_table}</details>"
            f"{source_line(self.source, depth=self.depth)}<p>{csv_link(self.data, self.filename)}</p></figure>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self.html(),
            "text/plain": f"<figure: {_title(self.chart.to_dict(validate=False))}>",
        }


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
) -> Figure:
    """Horizontal bars of ``value`` by ``category``, labelled with their values.

    ``highlight`` names one category drawn in the emphasis colour (and marked in its label,
    so colour is never the only cue); ``colour`` names a column for side-by-side bars.
    """
    frame = data.copy()
    if highlight is not None:
        frame[category] = [f"{c} (highlighted)" if c == highlight else c for c in frame[category]]
    order = list(dict.fromkeys(frame[category]))
    y = alt.Y(f"{category}:N", sort=order, title=None)
    x = alt.X(f"{value}:Q", title=value_title, axis=alt.Axis(format=value_format))
    tooltip = [alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q", format=value_format)]
    encode = {"y": y, "x": x, "tooltip": tooltip}
    if colour:
        encode["yOffset"] = alt.YOffset(f"{colour}:N")
        encode["color"] = alt.Color(
            f"{colour}:N", title=colour.capitalize(), legend=alt.Legend(orient="bottom")
        )
        tooltip.insert(1, alt.Tooltip(f"{colour}:N"))
    elif highlight is not None:
        is_hi = alt.datum[category] == f"{highlight} (highlighted)"
        encode["color"] = alt.condition(
            is_hi, alt.value(COLOURS["highlight"]), alt.value(COLOURS["primary"])
        )
    base = alt.Chart(frame).encode(**encode)
    labels = base.mark_text(align="left", dx=3, fontSize=11, color="#212B32").encode(
        text=alt.Text(f"{value}:Q", format=value_format), color=alt.value("#212B32")
    )
    chart = (base.mark_bar() + labels).properties(
        title=title, description=description, width=340, height=alt.Step(22 if colour else 26)
    )
    return Figure(
        chart,
        data,
        description=description,
        source=source,
        filename=filename,
        number_format=number_format,
    )


def write_bundle(path) -> None:
    """Write the Vega, Vega-Lite and Vega-Embed bundle (from vl-convert) that every chart uses."""
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


def trend(
    data: pd.DataFrame,
    *,
    line: str,
    title: str,
    value_title: str,
    description: str,
    source: str | list[str],
    filename: str,
    target: tuple[str, float] | None = None,
    depth: int = 0,
    number_format: str = "{:,.0f}",
    value_format: str = ",.0f",
) -> Figure:
    """Values over periods, one line per ``line`` value, with an optional target level.

    ``data`` has columns ``Period`` (labels, in time order), the ``line`` column and ``Value``.
    Lines whose name contains "(not comparable)" are dashed, so a definition break is visible
    without colour.
    """
    order = list(dict.fromkeys(data["Period"]))
    base = alt.Chart(data).encode(
        x=alt.X("Period:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("Value:Q", title=value_title, axis=alt.Axis(format=value_format)),
        color=alt.Color(f"{line}:N", legend=alt.Legend(orient="bottom", columns=1, labelLimit=400)),
        strokeDash=alt.condition(
            f"indexof(datum['{line}'], '(not comparable)') >= 0",
            alt.value([5, 4]),
            alt.value([1, 0]),
        ),
        tooltip=[
            alt.Tooltip(f"{line}:N"),
            alt.Tooltip("Period:N"),
            alt.Tooltip("Value:Q", format=value_format),
        ],
    )
    layers = [base.mark_line(point=alt.OverlayMarkDef(size=60, filled=True))]
    if target is not None:
        label, level = target
        rule = pd.DataFrame({"Target": [label], "Value": [level]})
        layers.append(
            alt.Chart(rule)
            .mark_rule(color=COLOURS["target"], strokeDash=[2, 2])
            .encode(
                y="Value:Q",
                tooltip=[alt.Tooltip("Target:N"), alt.Tooltip("Value:Q", format=value_format)],
            )
        )
        layers.append(
            alt.Chart(rule)
            .mark_text(align="left", dy=-6, x=4, color=COLOURS["target"])
            .encode(y="Value:Q", text="Target:N")
        )
    chart = alt.layer(*layers).properties(
        title=title, description=description, width=420, height=240
    )
    return Figure(
        chart,
        data,
        description=description,
        source=source,
        filename=filename,
        number_format=number_format,
        depth=depth,
    )
