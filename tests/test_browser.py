"""The published site in a real browser (Debian's Chromium, headless, network off).

Every page loads without console errors or requests to other hosts, every chart draws,
search works, downloads return CSV and axe-core finds no serious or critical violations.
"""

import base64
import csv
import functools
import http.server
import io
import os
import shutil
import threading
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

if not Path(CHROMIUM).exists():
    reason = "Debian's chromium is not installed (make test installs it with apt where it can)"
    if os.environ.get("CI"):
        raise RuntimeError(f"{reason}; CI must run the browser tests")
    pytest.skip(reason, allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(built_site):
    root = built_site / "_build/html"

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def visits(site, browser):
    """Load every page once; record console errors, outside requests, chart marks and axe results."""
    root, base = site
    context = browser.new_context()  # no request routing: it would switch off the browser cache
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
    for path in sorted(root.rglob("*.html")):
        rel = path.relative_to(root).as_posix()
        if "_static" in rel:
            continue
        errors.clear()
        page.goto(f"{base}/{rel}", wait_until="domcontentloaded")
        canvases = page.locator(".kb-chart-canvas").count()
        if canvases:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.kb-chart-canvas')].every("
                'c => c.querySelector(\'svg g[class*="mark-"] path, svg g[class*="mark-"] line\'))',
                timeout=15000,
            )
        marks = page.evaluate(
            "() => [...document.querySelectorAll('.kb-chart-canvas')].map("
            'c => c.querySelectorAll(\'svg g[class*="mark-"] path, svg g[class*="mark-"] line\').length)'
        )
        page_errors = list(
            errors
        )  # before axe, which fetches stylesheets itself and may log its own 404s
        violations = [
            v
            for v in axe.run(page).response["violations"]
            if v["impact"] in ("serious", "critical") or v["id"] == "heading-order"
        ]
        downloads = page.eval_on_selector_all("a.kb-download", "els => els.map(e => e.href)")
        results[rel] = {
            "errors": page_errors,
            "marks": marks,
            "violations": violations,
            "downloads": downloads,
        }
    context.close()
    return results, outside


def test_pages_were_visited(visits):
    results, _ = visits
    assert len(results) > 40 and "chapters/current_workforce.html" in results


def test_no_console_errors(visits):
    results, _ = visits
    assert {p: r["errors"] for p, r in results.items() if r["errors"]} == {}


def test_no_request_leaves_the_site(visits):
    assert visits[1] == []


def test_every_chart_draws_marks(visits):
    results, _ = visits
    charts = {p: r["marks"] for p, r in results.items() if r["marks"]}
    assert len(charts) >= 10
    assert {p: m for p, m in charts.items() if not all(m)} == {}


def test_no_serious_accessibility_violations_and_headings_in_order(visits):
    results, _ = visits
    found = {
        p: [f"{v['id']}: {v['help']}" for v in r["violations"]]
        for p, r in results.items()
        if r["violations"]
    }
    assert found == {}


def test_downloads_are_csv(visits):
    results = visits[0]
    links = [href for r in results.values() for href in r["downloads"]]
    assert len(links) >= 20
    for href in links:
        assert href.startswith("data:text/csv;base64,")
        rows = list(
            csv.reader(io.StringIO(base64.b64decode(href.split(",", 1)[1]).decode("utf-8")))
        )
        assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows), href[:80]


def test_published_csv_is_served(site, browser):
    _, base = site
    context = browser.new_context()
    response = context.request.get(f"{base}/data/observations.csv")
    assert response.status == 200 and response.text().count("psychiatrists_fte") >= 6
    context.close()


def test_search_finds_psychiatrists(site, browser):
    _, base = site
    page = browser.new_page()
    page.goto(f"{base}/search.html?q=psychiatrists")
    page.wait_for_selector("ul.search li", timeout=15000)
    titles = page.locator("ul.search li a").all_inner_texts()
    assert any("workforce" in t.lower() for t in titles), titles
    page.close()
