"""Accessible HTML for tables, source lines and downloads, from the templates in
``mhwkb/templates/`` (every string from data is escaped there)."""

import base64

import pandas as pd
from markupsafe import Markup

from mhwkb import templates
from mhwkb.data import source_name
from mhwkb.kinds import cite_anchor
from mhwkb.markup import html as e

__all__ = ["cite_anchor", "csv_link", "e", "source_line", "table"]


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell a spreadsheet would run as a formula (one beginning with
    =, +, -, @, a tab or a carriage return, and not a number) prefixed with a single quote."""
    from mhwkb.fields import formula_like

    def cell(value):
        return "'" + value if isinstance(value, str) and formula_like(value) else value

    def text(column: pd.Series) -> bool:
        return column.dtype == object or pd.api.types.is_string_dtype(column)

    return frame.apply(lambda column: column.map(cell) if text(column) else column)


def with_source(frame: pd.DataFrame, source: str | list[str]) -> pd.DataFrame:
    """The frame with a Source column naming its sources, when it has none of its own: every
    download says where its figures come from."""
    if "Source" in frame.columns or not source:
        return frame
    return frame.assign(Source="; ".join(source_name(k) for k in _keys(source)))


def payload(frame: pd.DataFrame) -> str:
    """A frame as the base64 of a CSV download, safe to open in a spreadsheet."""
    text = spreadsheet_safe(frame).to_csv(index=False)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _keys(source: str | list[str]) -> list[str]:
    return [source] if isinstance(source, str) else list(source)


def csv_link(frame: pd.DataFrame, filename: str, text: str = "Download this data (CSV)") -> Markup:
    """A link that downloads ``frame`` as a CSV file, with no request to any server."""
    macros = templates.html_module("_macros.html")
    return Markup(macros.csv_link(payload(frame), filename, text))


def source_line(source: str | list[str], extra: str = "", depth: int = 0) -> Markup:
    """'Source: ...' with each citation key linked to its entry on the references page.

    ``depth`` is how many folders below chapters/ the page is.
    """
    return Markup(templates.html_module("_macros.html").source_line(_keys(source), depth, extra))


def _cell(value, number_format: str) -> str:
    return number_format.format(value) if isinstance(value, (int, float)) else str(value)


def table(
    frame: pd.DataFrame,
    *,
    caption: str,
    source: str | list[str],
    filename: str,
    number_format: str = "{:,.0f}",
    row_kinds: pd.Series | None = None,
    notes: list[str] = (),
    depth: int = 0,
    download: bool = True,
    numeric: set[str] = frozenset(),
    row_ids: list[str] | None = None,
) -> Markup:
    """A captioned table with header scopes, emphasised subtotal/total rows and a CSV download.

    Number columns (and those named in ``numeric``, whose figures are text as their source
    prints them) are right-aligned, text columns left-aligned. ``row_ids`` gives each row an
    anchor a link can point at.
    """
    kinds = list(row_kinds) if row_kinds is not None else ["row"] * len(frame)
    numeric = [
        i > 0 and (pd.api.types.is_numeric_dtype(frame[c]) or c in numeric)
        for i, c in enumerate(frame.columns)
    ]
    rows = [
        (kinds[i], [_cell(v, number_format) for v in row])
        for i, row in enumerate(frame.itertuples(index=False))
    ]
    return templates.html(
        "table.html",
        caption=caption,
        columns=[str(c) for c in frame.columns],
        numeric=numeric,
        rows=rows,
        row_ids=row_ids or [""] * len(rows),
        sources=_keys(source),
        depth=depth,
        notes=list(notes),
        payload=payload(with_source(frame, source)) if download else "",
        filename=filename,
    )
