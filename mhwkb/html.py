"""Accessible HTML for tables and chart frames. Every string from data is escaped here."""

import base64
import html
import re

import pandas as pd

e = html.escape


def csv_link(frame: pd.DataFrame, filename: str, text: str = "Download this data (CSV)") -> str:
    """A link that downloads ``frame`` as a CSV file, with no request to any server."""
    payload = base64.b64encode(frame.to_csv(index=False).encode("utf-8")).decode("ascii")
    return f'<a class="kb-download" download="{e(filename)}" href="data:text/csv;base64,{payload}">{e(text)}</a>'


def cite_anchor(key: str) -> str:
    """The id sphinxcontrib-bibtex gives a reference (``bibtex_cite_id``, as docutils makes ids)."""
    return "cite-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def source_line(source: str | list[str], extra: str = "", depth: int = 0) -> str:
    """'Source: ...' with each citation key linked to its entry on the references page.

    ``depth`` is how many folders below chapters/ the page is.
    """
    keys = [source] if isinstance(source, str) else source
    up = "../" * depth
    links = ", ".join(f'<a href="{up}references.html#{cite_anchor(k)}">{e(k)}</a>' for k in keys)
    label = "Source" if len(keys) == 1 else "Sources"
    return f'<p class="kb-source">{label}: {links}{(" " + e(extra)) if extra else ""}</p>'


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
) -> str:
    """A captioned table with header scopes, emphasised subtotal/total rows and a CSV download."""
    head = "".join(f'<th scope="col">{e(str(c))}</th>' for c in frame.columns)
    body = []
    for i, (_, row) in enumerate(frame.iterrows()):
        kind = row_kinds.iloc[i] if row_kinds is not None else "row"
        cells = []
        for j, value in enumerate(row):
            text = number_format.format(value) if isinstance(value, (int, float)) else str(value)
            cells.append(f'<th scope="row">{e(text)}</th>' if j == 0 else f"<td>{e(text)}</td>")
        body.append(f'<tr class="kb-{e(kind)}">{"".join(cells)}</tr>')
    foot = "".join(f'<p class="kb-note">{e(n)}</p>' for n in notes)
    return (
        f'<div class="kb-table"><table><caption>{e(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"{source_line(source, depth=depth)}{foot}<p>{csv_link(frame, filename)}</p></div>"
    )
