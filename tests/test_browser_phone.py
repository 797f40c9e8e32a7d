"""Every page of the published site at phone width (390 px) in Debian's Chromium, headless,
network off: no console errors, requests to other hosts or sideways scrolling; every chart is
drawn without JavaScript and fits, with no label cut or lying on another; axe-core finds no
serious or critical violations and headings go in order; every download is a CSV table.
"""

import base64
import csv
import io

import pytest
from chromium import CHART_FITS, LABEL_CLASHES, MARKS, PHONE, serious
from conftest import needs_chromium, site_pages

needs_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402


@pytest.fixture(scope="module")
def visits(site, browser):
    """Load every page once at phone width; record errors, outside requests, width, charts, axe."""
    root, base = site
    context = browser.new_context(viewport=PHONE)  # no routing: it would switch off the cache
    outside = []
    context.on(
        "request", lambda r: r.url.startswith((base, "data:", "blob:")) or outside.append(r.url)
    )
    axe = Axe()
    results = {}
    errors = []
    page = context.new_page()
    # Chromium asks every host for /favicon.ico by itself when a page names no icon (the root
    # page is Jupyter Book's redirect, which names none): not a resource of the site.
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.location.get("url", "").endswith("/favicon.ico")
            and errors.append(m.text)
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
    for rel in site_pages(root):
        errors.clear()
        page.goto(f"{base}/{rel}", wait_until="load")
        marks = page.evaluate(
            f"() => [...document.querySelectorAll('.kb-chart-canvas')].map("
            f'c => c.querySelectorAll("{MARKS}").length)'
        )
        width = page.evaluate("() => document.documentElement.scrollWidth")
        fits = page.evaluate(CHART_FITS)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        clashes = page.evaluate(LABEL_CLASHES)
        page_errors = list(errors)  # before axe, which fetches stylesheets and may log 404s
        downloads = page.eval_on_selector_all("a.kb-download", "els => els.map(e => e.href)")
        results[rel] = {
            "errors": page_errors,
            "marks": marks,
            "width": width,
            "fits": fits,
            "violations": serious(axe, page),
            "downloads": downloads,
            "clashes": clashes,
        }
    context.close()
    return results, outside


def test_pages_were_visited(visits):
    results, _ = visits
    assert len(results) > 40 and "chapters/current_workforce.html" in results


def test_no_console_errors(visits):
    results, _ = visits
    assert {p: r["errors"] for p, r in results.items() if r["errors"]} == {}


def test_no_request_leaves_the_site_and_no_chart_script_loads_unasked(visits):
    results, outside = visits
    assert outside == []


def test_no_page_scrolls_sideways_on_a_phone(visits):
    results, _ = visits
    assert {p: r["width"] for p, r in results.items() if r["width"] > PHONE["width"]} == {}


def test_every_chart_is_drawn_and_fits_on_a_phone(visits):
    results, _ = visits
    charts = {p: r for p, r in results.items() if r["marks"]}
    assert len(charts) >= 10
    assert {p: r["marks"] for p, r in charts.items() if not all(r["marks"])} == {}
    assert {p: r["fits"] for p, r in charts.items() if not r["fits"] or not all(r["fits"])} == {}


def test_no_chart_label_is_cut_or_lies_on_another_on_a_phone(visits):
    results, _ = visits
    assert {p: r["clashes"] for p, r in results.items() if r["clashes"]} == {}


def test_no_serious_accessibility_violations_and_headings_in_order(visits):
    results, _ = visits
    found = {
        p: [f"{v['id']}: {v['help']}" for v in r["violations"]]
        for p, r in results.items()
        if r["violations"]
    }
    assert found == {}


def test_downloads_are_csv(visits, browser):
    """Every download a page offers, in the page or a file of the site, is a CSV table."""
    results = visits[0]
    links = [href for r in results.values() for href in r["downloads"]]
    assert len(links) >= 20 and any(not h.startswith("data:") for h in links)
    context = browser.new_context()
    for href in links:
        if href.startswith("data:"):
            assert href.startswith("data:text/csv;base64,"), href[:80]
            text = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
        else:
            response = context.request.get(href)
            assert response.status == 200, href
            assert response.headers["content-type"].startswith("text/csv"), href
            text = response.text()
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), href[:80]
    context.close()
