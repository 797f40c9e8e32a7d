"""The built site is in the project's own words, as its sources are.

``tests/test_chapters.py`` runs ``../shared/tools/seed-overlap`` on the notebooks and data. A
glued figure can join two halves of a sentence back up, so this check reads the built pages'
visible text instead, with the tool's own tokenisation, and reports every run of ten or more
words that a page shares with a source document. Titles of cited works, their web addresses and
names of bodies are facts and are set aside first; each paragraph, list item and table cell is
read on its own.
"""

import importlib.machinery
import importlib.util
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from conftest import ROOT, SHARED, needs_shared
from pybtex.database import parse_file

RUN = 10
BREAK = None  # stands in for a set-aside phrase or a block boundary: no run crosses it
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl",
    "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip
HIDDEN = {"head", "script", "style", "noscript", "template", "svg"}


def seed_overlap():
    """The overlap tool as a module, so that this check tokenises exactly as it does."""
    path = needs_shared(SHARED / "tools" / "seed-overlap")
    loader = importlib.machinery.SourceFileLoader("seed_overlap", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module


@cache
def seed_runs() -> tuple:
    """(tool, every run of RUN words in a source document, mapped to the document's name)."""
    tool = seed_overlap()
    grams: dict[str, str] = {}
    for seed in sorted(Path(tool.SEEDS).glob("*.txt")):
        w = tool.words(seed.read_text(encoding="utf-8", errors="replace"))
        for i in range(len(w) - RUN + 1):
            grams.setdefault(" ".join(w[i : i + RUN]), seed.name)
    return tool, grams


def set_aside_phrases() -> list[str]:
    """Titles and web addresses of cited works and names of bodies, from the bibliography and
    the records (an address is given exactly as the report prints it, so it repeats the report)."""
    from mhwkb.data import records

    phrases = []
    for entry in parse_file(ROOT / "data" / "references.bib", "bibtex").entries.values():
        fields = (
            "title",
            "booktitle",
            "journal",
            "institution",
            "organization",
            "publisher",
            "url",
        )
        phrases += [entry.fields[f] for f in fields if f in entry.fields]
        phrases += [str(p) for people in entry.persons.values() for p in people]
    phrases += [o.name for o in records("organisations")]
    for c in records("case_studies"):
        phrases += [c.organisation, *c.partners]
    phrases += [p.body for p in records("policies")] + [p.title for p in records("policies")]
    return phrases


class _VisibleText(HTMLParser):
    """The text a reader sees, as blocks separated by BREAK."""

    def __init__(self):
        super().__init__()
        self.parts: list[str | None] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self._hidden += 1
        elif tag in BLOCKS:
            self.parts.append(BREAK)

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCKS:
            self.parts.append(BREAK)

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def page_words(html: str, tool, aside: list[list[str]]) -> list[str | None]:
    """A page's visible words in order, with BREAK at block boundaries and set-aside phrases."""
    parser = _VisibleText()
    parser.feed(html)
    out: list[str | None] = []
    text = []
    for part in [*parser.parts, BREAK]:
        if part is BREAK:
            out += tool.words(" ".join(text)) + [BREAK]
            text = []
        else:
            text.append(part)
    starts: dict[str, list[int]] = {}  # where each word stands, to try a phrase only there
    for i, word in enumerate(out):
        if word is not BREAK:
            starts.setdefault(word, []).append(i)
    for phrase in aside:  # longest first, so a name inside a longer title goes with the title
        n = len(phrase)
        end = 0  # occurrences do not overlap: the next one starts after the last set aside
        for i in starts.get(phrase[0], ()):
            if i >= end and out[i : i + n] == phrase:
                out[i : i + n] = [BREAK] * n
                end = i + n
    return out


def shared_runs(words: list[str | None], grams: dict[str, str]) -> list[tuple[int, str, str]]:
    """Every maximal run of RUN or more words found in a source: (length, seed, text)."""
    found = []
    i = 0
    while i <= len(words) - RUN:
        window = words[i : i + RUN]
        key = None if BREAK in window else " ".join(window)
        if key in grams:
            j = i + RUN
            while j < len(words) and words[j] is not BREAK:
                if " ".join(words[j - RUN + 1 : j + 1]) not in grams:
                    break
                j += 1
            found.append((j - i, grams[key], " ".join(words[i:j])))
            i = j
        else:
            i += 1
    return found


def site_problems(site: Path) -> list[str]:
    tool, grams = seed_runs()
    aside = sorted(
        {tuple(w) for p in set_aside_phrases() if len(w := tool.words(p)) > 1},
        key=len,
        reverse=True,
    )
    aside = [list(p) for p in aside]
    out = []
    for page in sorted(site.rglob("*.html")):
        if "_static" in page.parts:
            continue
        words = page_words(page.read_text(encoding="utf-8"), tool, aside)
        for length, seed, text in shared_runs(words, grams):
            out.append(f'{page.relative_to(site)}: {length} words as in {seed}: "{text}"')
    return out


def test_built_pages_do_not_repeat_a_source_document(built_site):
    problems = site_problems(built_site / "_build" / "html")
    assert problems == [], "rewrite in the project's own words:\n" + "\n".join(problems)


def _report_words() -> list[str]:
    tool, _ = seed_runs()
    seed = sorted(Path(tool.SEEDS).glob("001_*.txt"))[0]
    return tool.words(seed.read_text(encoding="utf-8"))


def test_a_sentence_joined_up_by_a_glued_figure_is_caught(tmp_path):
    """Thirteen words of the report split by a linked figure, as a glued value is, are caught."""
    w = _report_words()
    mid = len(w) // 2
    before, figure, after = " ".join(w[mid - 6 : mid]), w[mid], " ".join(w[mid + 1 : mid + 7])
    (tmp_path / "page.html").write_text(
        f"<html><head><title>{before}</title></head><body><p>{before} "
        f'<a href="references.html" title="Source">{figure}</a> {after}</p></body></html>',
        encoding="utf-8",
    )
    problems = site_problems(tmp_path)
    assert len(problems) == 1 and problems[0].startswith("page.html: 13 words"), problems


def test_block_boundaries_and_titles_of_works_are_not_runs(tmp_path):
    """Words split across table cells, and a cited work's title, are not copied prose."""
    tool, grams = seed_runs()
    w = _report_words()
    cells = [" ".join(w[i : i + 5]) for i in range(3000, 3030, 5)]
    title = parse_file(ROOT / "data" / "references.bib", "bibtex").entries["burgess2015"]
    title = title.fields["title"]
    assert shared_runs(tool.words(" ".join(cells)), grams) and shared_runs(tool.words(title), grams)
    row = "".join(f"<td>{c}</td>" for c in cells)
    (tmp_path / "page.html").write_text(
        f"<table><tr>{row}</tr></table><p>See <em>{title}</em>.</p>", encoding="utf-8"
    )
    assert site_problems(tmp_path) == []
