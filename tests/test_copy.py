"""The words on the built pages: no doubled word, no qualifier on top of a figure's own
qualifier ("about about 20,000", "roughly approximately 214,000"), no doubled unit ("2% %"), no
day given as a span ("in 31 March 2021")."""

import html
import re

from conftest import offered_csvs, site_pages

DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b", re.IGNORECASE)
QUALIFIERS = r"roughly|about|around|approximately|nearly|some|over|almost|just over|more than"
TWO_QUALIFIERS = re.compile(rf"\b(?:{QUALIFIERS})\s+(?:{QUALIFIERS})\s+\d", re.IGNORECASE)
DOUBLED_UNIT = re.compile(r"%\s*%|\b(FTE|people|posts|places|jobs)\s+\1\b")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
IN_A_DAY = re.compile(rf"\bin \d{{1,2}} (?:{MONTHS}) \d{{4}}\b")
PROSE = re.compile(r"<(p|li|dd|td|th|figcaption|caption)\b[^>]*>(.*?)</\1>", re.DOTALL)


def prose(page: str) -> list[str]:
    """The sentences of a page's article: paragraphs, list items, cells and captions."""
    found = re.search(r'<article class="bd-article".*?</article>', page, flags=re.DOTALL)
    body = re.sub(
        r"<(script|style|svg)\b.*?</\1>", " ", found.group(0) if found else "", flags=re.DOTALL
    )
    return [
        re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", inner)))
        for _, inner in PROSE.findall(body)
    ]


def slips(text: str) -> list[str]:
    return [
        text[max(0, m.start() - 40) : m.end() + 20]
        for pattern in (DOUBLED, TWO_QUALIFIERS, DOUBLED_UNIT, IN_A_DAY)
        for m in pattern.finditer(text)
    ]


def test_the_detector_finds_the_slips_it_is_for():
    assert slips("At any moment about about 20,000 of them")
    assert slips("at roughly approximately 214,000 posts")
    assert slips("Independent employers 2% % change")
    assert slips("1,234 FTE in 31 March 2021 (all roles)")
    assert not slips("about 20,000 of them, around half of the total")
    assert not slips("1,234 FTE on 31 March 2021, up in March 2022")


def test_no_page_doubles_a_word_a_qualifier_or_a_unit(built_site):
    root = built_site / "_build/html"
    found = [
        f"{rel}: {slip}"
        for rel in site_pages(root)
        for text in prose((root / rel).read_text(encoding="utf-8"))
        for slip in slips(text)
    ]
    assert not found, "\n".join(found)


def test_no_page_shows_a_bare_reference_key(built_site):
    """A source is named by its publisher, title and year, never by its BibTeX key."""
    from mhwkb import bibliography
    from mhwkb.paths import BIB

    keys = sorted(bibliography.read(BIB).keys, key=len, reverse=True)
    key = re.compile(r"\b(" + "|".join(map(re.escape, keys)) + r")\b")
    root = built_site / "_build/html"
    found = {
        f"{rel}: {m.group(1)}"
        for rel in site_pages(root)
        for text in prose((root / rel).read_text(encoding="utf-8"))
        for m in key.finditer(text)
    }
    assert not found, sorted(found)


def test_every_download_names_its_source(built_site):
    import csv
    import io

    offered = offered_csvs(built_site / "_build/html")
    headers = {k: next(csv.reader(io.StringIO(text))) for k, text in offered.items()}
    assert len(headers) > 100
    assert (
        "chapters/indicators/staff_sickness_absence.html",
        "staff_sickness_absence_all.csv",
    ) in headers
    assert {k: h for k, h in headers.items() if "Source" not in h} == {}


def test_a_reference_read_on_a_copy_says_so(built_site):
    """An address on a site that republishes others' documents is marked as a copy on the
    references page; the publisher's own address is not."""
    from mhwkb.bibliography import copied_on
    from mhwkb.data import reference

    page = (built_site / "_build/html/chapters/references.html").read_text(encoding="utf-8")
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))
    copy = reference("ukparliament2023a")["url"]
    assert copied_on(copy) == "parallelparliament.co.uk"
    assert f"{copy} (a copy on parallelparliament.co.uk: the publisher's own page" in text
    own = reference("pac2023_summary")["url"]
    assert copied_on(own) is None and f"{own} (a copy" not in text


def test_every_observation_is_in_its_indicators_table_once(built_site):
    """The table of all observations gives each row its anchor and names each source and unit
    once, above the series counted in them (in the caption when there is one)."""
    from mhwkb.data import observations

    page = (built_site / "_build/html/chapters/indicators/staff_sickness_absence.html").read_text(
        encoding="utf-8"
    )
    table = re.search(r'<details class="kb-data" id="kb-all">.*?</details>', page, re.DOTALL)
    rows = re.findall(r'<tr id="obs-(\d+)">', table.group(0))
    assert sorted(map(int, rows)) == sorted(observations("staff_sickness_absence")["line"])
    groups = re.findall(r'<tr class="kb-group">(.*?)</tr>', table.group(0), re.DOTALL)
    sections = re.findall(r'<tr class="kb-section">(.*?)</tr>', table.group(0), re.DOTALL)
    assert len(groups) < len(rows) / 20 and 1 < len(sections) < len(groups)
    assert all("Per cent; source:" in x and 'class="kb-cite"' in x for x in sections)
    assert not any("source:" in g for g in groups)  # said once, above them
