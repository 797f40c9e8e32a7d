"""A very long value in any field a contributor types is decided at once, never by a pattern
that backtracks: each check below reads a 100,000-character value. The bound of a second is
not a performance target (``make bench`` measures speed); it separates a check that reads the
text once (milliseconds) from one that backtracks (minutes at this length)."""

import time

import pytest

from mhwkb import bibliography, fields, markup
from mhwkb.fileio import DataFile

LONG = "." * 100_000 + " "  # dots, then a space: what made the old URL pattern backtrack
SPACES = " " * 100_000 + "x"


def decided_quickly(check, value) -> object:
    start = time.perf_counter()
    result = check(value)
    assert time.perf_counter() - start < 1, f"{check} took too long on a long value"
    return result


@pytest.mark.parametrize(
    "check",
    [
        lambda v: markup.safe_url("https://" + v),
        lambda v: markup.safe_url("https://doi.org/10.1234/" + v),
        markup.myst,
        markup.html,
        markup.one_line,
        lambda v: fields.NUMBER.match(v),
        lambda v: fields.PERIOD.match(v),
        lambda v: fields.decimals_of(v),
        lambda v: bibliography.ENTRY.search("@misc{" + v),
        lambda v: bibliography.without_trailing_comments("@misc{x,\n}" + "\n" * 50_000 + v),
        lambda v: bibliography._field_line("@misc{x,\n" + "\n" * 50_000 + v, 1, "note"),
    ],
)
def test_each_check_reads_a_long_value_once(check):
    decided_quickly(check, LONG)
    decided_quickly(check, SPACES)


def test_a_long_url_is_never_a_link():
    assert decided_quickly(lambda v: markup.safe_url("https://" + v), "a" * 3000 + ".org") is None


@pytest.mark.parametrize(
    "name",
    ["title", "author", "note", "howpublished", "institution", "urldate", "url", "doi"],
)
def test_a_long_bibliography_field_is_refused_at_once_with_its_line(name):
    value = ("https://" if name == "url" else "10.1234/" if name == "doi" else "") + LONG
    text = (
        "@misc{long2026,\n"
        f"  {name} = {{{value}}},\n"
        + ("  title = {A title},\n" if name != "title" else "")
        + "  year = {2026}\n}\n"
    )
    bib = decided_quickly(bibliography.read, DataFile("data/references.bib", text.encode()))
    shown = [str(p) for p in bib.problems]
    assert shown and shown[0].startswith(f"data/references.bib:2: long2026.{name}: "), shown
    assert "characters long" in shown[0]
