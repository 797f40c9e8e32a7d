"""Data-quality notes: the report's own slips, shown on the page that uses the figures."""

from IPython.display import HTML

from mhwkb import kinds, templates
from mhwkb.data import records


def notes_html(chapter: str) -> HTML:
    """Every quality note recorded for ``chapter``, as a list of highlighted boxes."""
    kind = kinds.KINDS["quality_note"]
    notes = [n for n in records("quality_notes") if n.chapter == chapter]
    items = "".join(
        templates.html(kind.template, record=n, anchor=kind.anchor_of(n.id)) for n in notes
    )
    return HTML(items or "<p>No data-quality notes for this chapter.</p>")


def notes_table() -> HTML:
    """Every quality note in one table, each linked to the chapter that shows it."""
    return HTML(templates.html("quality_notes.html", notes=records("quality_notes")))
