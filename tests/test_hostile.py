"""Hostile strings in every contributor-editable text field, in one build: records, series,
breakdown and target labels, notes, facts, BibTeX title, author and URL, and the changelog.

The data still validate and the strict build still passes; on the site every string is text:
no element, attribute or script comes from data, no file from outside the project is
copied in, and Chromium opens every page showing one of them without a dialog or an
injected element.
"""

import json

import pytest
from conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    build_book,
    copy_project,
    mhwkb,
    needs_chromium,
    serve,
    site_pages,
)
from hostile import MARK, poison
from injection import injected, leaked

SECRET = "kbsecret-5d41402abc4b2a76"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """One strict build of a copy whose every free-text field holds a hostile string."""
    folder = tmp_path_factory.mktemp("hostile")
    secret = folder / "secret.txt"  # outside the project: nothing may copy it in
    secret.write_text(SECRET, encoding="utf-8")
    project = copy_project(folder / "project")
    poison(project, secret)
    validation = mhwkb(project, "validate")
    build = build_book(project, check=False)
    return project, validation, build


def test_hostile_data_validate_and_build(hostile_site):
    _, validation, build = hostile_site
    assert validation.returncode == 0, validation.stdout
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "warning" not in build.stderr.lower(), build.stderr[-3000:]


def test_refused_strings_are_refused_with_path_line_and_field(tmp_path):
    """What the validator refuses (control characters, a web address that is not http or https)
    is named, with its file, line and field, once per place."""
    from hostile import REFUSED

    from mhwkb.validate import validate

    assert REFUSED
    data = copy_project(tmp_path / "project") / "data"
    recs = (data / "recommendations.yaml").read_text(encoding="utf-8")
    title = "  title: Promote mental health careers in schools\n"
    bib = (data / "references.bib").read_text(encoding="utf-8")
    edits = {
        "recommendations.yaml": recs.replace(
            title, f"  title: {json.dumps(REFUSED[0])}\n", 1
        ).encode(),
        "references.bib": (
            bib + "\n@misc{hostile2026,\n  title = {T},\n  url = {javascript:alert(1)},\n"
            "  year = {2026}\n}\n"
        ).encode(),
    }
    problems = [str(p) for p in validate(data, edits=edits)]
    line = recs[: recs.index(title)].count("\n") + 1
    edited = edits["references.bib"].decode()
    url = edited[: edited.index("url = {javascript")].count("\n") + 1
    assert problems == [
        f"data/recommendations.yaml:{line}: (syntax): invisible control character U+202E in "
        "this value; delete it",
        f"data/references.bib:{url}: hostile2026.url: a web address must start "
        "with http:// or https://",
    ], problems


def test_every_hostile_string_is_shown_as_text(hostile_site):
    project, _, _ = hostile_site
    site = project / "_build/html"
    assert injected(site) == {}
    shown = [p for p in site_pages(site) if MARK in (site / p).read_text(encoding="utf-8")]
    assert len(shown) >= 40  # the strings are on the pages, as text
    for page in ("chapters/about_data.html", "chapters/references.html"):
        assert MARK in (site / page).read_text(encoding="utf-8"), page  # changelog, BibTeX


def test_no_file_from_outside_the_project_reaches_the_site(hostile_site):
    project, _, _ = hostile_site
    assert leaked(project / "_build/html", SECRET) == []


def test_bibtex_urls_are_links_only_when_safe(hostile_site):
    project, _, _ = hostile_site
    page = (project / "_build/html/chapters/references.html").read_text(encoding="utf-8")
    assert "A Title With Capitals" in page  # the style keeps the title's case
    assert 'href="javascript' not in page.lower()
    assert "https://localhost/kbxss" in page and 'href="https://localhost' not in page


def test_nothing_runs_in_the_browser(hostile_site):
    needs_chromium()
    from playwright.sync_api import sync_playwright

    project, _, _ = hostile_site
    root = project / "_build/html"
    pages = [p for p in site_pages(root) if MARK in (root / p).read_text(encoding="utf-8")]
    dialogs, found = [], {}
    with serve(root) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for rel in pages:
            page.goto(f"{base}/{rel}", wait_until="load")
            index = page.evaluate(
                f"() => [...document.querySelectorAll('.kb-chart')].findIndex("
                f"c => !c.closest('details:not([open])')"
                f" && c.querySelector('script.kb-spec').textContent.includes('{MARK}'))"
            )
            if index >= 0:  # a chart drawing hostile labels: draw it live too
                chart = page.locator(".kb-chart").nth(index)
                chart.scroll_into_view_if_needed()
                chart.hover()
                page.wait_for_selector(".kb-chart[data-live='yes']", timeout=15000)
            bad = page.evaluate(
                f"""() => [...document.querySelectorAll('*')].filter(e =>
                  [...e.attributes].some(a => a.name.includes('{MARK}')
                    || (a.name.startsWith('on') && a.value.includes('{MARK}')))
                  || (e.tagName === 'SCRIPT' && !e.type && e.textContent.includes('{MARK}'))
                  || (e.tagName === 'STYLE' && e.textContent.includes('{MARK}'))
                ).map(e => e.outerHTML.slice(0, 120))"""
            )
            if bad:
                found[rel] = bad
        browser.close()
    assert dialogs == [] and found == {}
