"""Data-quality notes: the report's own slips, shown on the page that uses the figures."""

from IPython.display import HTML

from mhwkb.data import records
from mhwkb.html import e, source_line


def notes_html(chapter: str) -> HTML:
    """Every quality note recorded for ``chapter``, as a list of highlighted boxes."""
    notes = [n for n in records("quality_notes") if n.chapter == chapter]
    items = "".join(
        f'<div class="kb-quality" id="quality-{e(n.id)}"><p><strong>{e(n.title)}</strong> '
        f"({e(n.kind)})</p><p>{e(n.detail)}</p>{source_line(n.source)}</div>"
        for n in notes
    )
    return HTML(items or "<p>No data-quality notes for this chapter.</p>")
