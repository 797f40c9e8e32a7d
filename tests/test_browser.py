"""The published site in a real browser (Debian's Chromium, headless, network off).

Every page loads at phone width (390 px) without console errors, requests to other hosts
or sideways scrolling; every chart fits, is drawn without JavaScript and comes alive when a
reader points at it; search works; downloads return CSV; axe-core finds no serious or
critical violations in light or dark mode; printing shows no scrollbars, toggles or clipped
charts.
"""

import base64
import csv
import io

import pytest
from conftest import CHROMIUM, CHROMIUM_FLAGS, needs_chromium, site_pages

needs_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from mhwkb.localserver import serve  # noqa: E402

PHONE = {"width": 390, "height": 844}
# Pages a dark-mode and print check covers: every kind of content the site has.
SAMPLE = [
    "chapters/index.html",
    "chapters/current_workforce.html",
    "chapters/case_studies.html",
    "chapters/recommendations/rec04.html",
    "chapters/recommendations/rec21.html",
    "chapters/recommendations/dashboard.html",
    "chapters/recommendations/timeline.html",
    "chapters/recommendations/by_addressee.html",
    "chapters/indicators/mh_nurses_fte.html",
    "chapters/about_data.html",
    "chapters/references.html",
]
CHART_FITS = """() => [...document.querySelectorAll('.kb-chart-canvas')]
  .filter(c => c.offsetParent !== null)
  .map(c => {
    const box = c.closest('.kb-figure').getBoundingClientRect();
    const drawn = [...c.querySelectorAll('svg')].filter(s => s.getBoundingClientRect().width > 0);
    return drawn.length > 0 && drawn.every(s => s.getBoundingClientRect().right <= box.right + 1
      && s.getBoundingClientRect().right <= window.innerWidth);
  })"""
MARKS = "svg g[class*='mark-'] path, svg g[class*='mark-'] line, svg g[class*='mark-'] text"
# Text drawn in the static charts that runs past its drawing or lies on other text (labels a
# chart hides, drawn with no opacity, are not read).
LABEL_CLASHES = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('.kb-static svg')) {
    const box = svg.getBoundingClientRect();
    if (box.width === 0) continue;
    const shown = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()
      && getComputedStyle(t).opacity !== '0' && !t.closest('[opacity="0"]'));
    const texts = shown.map(t => [t.textContent.trim(), t.getBoundingClientRect()]);
    for (const [s, r] of texts)
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
          || r.bottom > box.bottom + 1) out.push('cut: ' + s);
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i][1], b = texts[j][1];
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
          && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1)
        out.push('overlap: ' + texts[i][0] + ' / ' + texts[j][0]);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def site(built_site):
    root = built_site / "_build/html"
    with serve(root) as base:
        yield root, base


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


def _serious(axe: Axe, page) -> list[dict]:
    return [
        v
        for v in axe.run(page).response["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] == "heading-order"
    ]


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
            "violations": _serious(axe, page),
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


@pytest.mark.parametrize("width", [360, 1280])
def test_no_chart_label_is_cut_or_lies_on_another_on_a_small_phone_or_a_desktop(
    site, browser, width
):
    _, base = site
    page = browser.new_page(viewport={"width": width, "height": 900})
    found = {}
    for rel in SAMPLE + [
        "chapters/policy_context.html",
        "chapters/indicators/staff_sickness_absence.html",
    ]:
        page.goto(f"{base}/{rel}")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        clashes = page.evaluate(LABEL_CLASHES)
        if clashes:
            found[rel] = clashes
    page.close()
    assert found == {}


def test_no_serious_accessibility_violations_and_headings_in_order(visits):
    results, _ = visits
    found = {
        p: [f"{v['id']}: {v['help']}" for v in r["violations"]]
        for p, r in results.items()
        if r["violations"]
    }
    assert found == {}


def test_no_serious_accessibility_violations_in_dark_mode(site, browser):
    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    axe = Axe()
    found = {}
    for rel in SAMPLE:
        page.goto(f"{base}/{rel}", wait_until="load")
        # colours are judged as they end, not halfway through the theme's transitions
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        page.evaluate(
            "() => { document.documentElement.dataset.theme = 'dark';"
            " document.documentElement.dataset.mode = 'dark'; }"
        )
        if page.locator(".kb-chart").count():  # a live chart too
            page.locator(".kb-chart").first.hover()
            page.wait_for_selector(".kb-chart[data-live='yes']", timeout=15000)
        violations = _serious(axe, page)
        if violations:
            found[rel] = [f"{v['id']}: {v['help']}" for v in violations]
    page.close()
    assert found == {}


def test_charts_are_readable_without_javascript(site, browser):
    _, base = site
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    for rel in ("chapters/current_workforce.html", "chapters/indicators/mh_nurses_fte.html"):
        page.goto(f"{base}/{rel}")
        shown = page.evaluate(
            "() => [...document.querySelectorAll('.kb-chart-canvas')].map(c => [...c.querySelectorAll"
            "('.kb-static svg')].filter(s => s.getBoundingClientRect().width > 0).length)"
        )
        assert shown and all(n == 1 for n in shown), (rel, shown)
        assert all(page.evaluate(CHART_FITS))
    context.close()


def test_a_chart_comes_alive_when_a_reader_points_at_it(site, browser):
    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    loaded = []
    page.on("request", lambda r: "vega-bundle" in r.url and loaded.append(r.url))
    page.goto(f"{base}/chapters/current_workforce.html", wait_until="load")
    assert loaded == []  # nothing heavy until a reader asks for it
    chart = page.locator(".kb-chart").first
    chart.scroll_into_view_if_needed()
    chart.hover()
    page.wait_for_selector(".kb-chart[data-live='yes'] .kb-live svg", timeout=15000)
    assert len(loaded) == 1
    live = chart.locator(".kb-live svg")
    box, frame = live.bounding_box(), chart.bounding_box()
    assert 0 < box["width"] <= frame["width"] + 1
    assert live.locator("g[class*='mark-']").count() > 0
    page.set_viewport_size(PHONE)  # turned to a phone's width: the live chart follows
    page.wait_for_function(
        """() => { const c = document.querySelector(".kb-chart[data-live='yes'] .kb-chart-canvas");
          const drawn = parseFloat(c.querySelector(".kb-live svg").getAttribute("width"));
          return drawn <= c.clientWidth + 1 && drawn > 0.8 * c.clientWidth; }""",  # redrawn, not shrunk
        timeout=5000,
    )
    page.close()


def test_print_shows_charts_whole_without_toggles_or_scrollbars(site, browser):
    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for rel in ("chapters/current_workforce.html", "chapters/recommendations/dashboard.html"):
        page.goto(f"{base}/{rel}", wait_until="load")
        page.emulate_media(media="print")
        hidden = page.evaluate(
            "() => [...document.querySelectorAll('details.kb-data, .kb-download')]"
            ".every(e => getComputedStyle(e).display === 'none')"
        )
        clipped = page.evaluate(
            "() => [...document.querySelectorAll('.kb-table, .pst-scrollable-table-container,"
            " .kb-chart-canvas')].filter(e => getComputedStyle(e).overflowX === 'auto'"
            " || getComputedStyle(e).overflowX === 'scroll').length"
        )
        assert hidden and clipped == 0, rel
        page.emulate_media(media="screen")
    page.close()


# The share of a printed page, top to bottom, that must hold something: a page (but the last)
# whose lowest ink is higher up than this is more than half blank.
HALF = 0.5


def _printed(page) -> list[tuple[float, str]]:
    """Each page of Chromium's A4 print of ``page``: how far down its lowest ink lies (0 to 1),
    and its text."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(page.pdf(format="A4", print_background=False))
    out = []
    for sheet in document:
        pixels = sheet.render(scale=0.5, grayscale=True).to_numpy()
        inked = (pixels.reshape(pixels.shape[0], -1) < 200).any(axis=1).nonzero()[0]
        text = sheet.get_textpage().get_text_range()
        out.append(((inked.max() + 1) / pixels.shape[0] if inked.size else 0.0, text))
    return out


@pytest.mark.parametrize(
    "rel",
    [
        "chapters/recommendations/rec20.html",
        "chapters/indicators/mh_nurses_fte.html",
        "chapters/indicators/staff_sickness_absence.html",  # small multiples, a long table
    ],
)
def test_a_printed_page_has_no_half_blank_sheet_and_prints_source_addresses(site, browser, rel):
    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/{rel}", wait_until="load")
    page.emulate_media(media="print")
    sheets = _printed(page)
    page.close()
    blank = [n for n, (bottom, _) in enumerate(sheets[:-1], 1) if bottom < HALF]
    assert len(sheets) > 1 and not blank, f"{rel}: sheets {blank} of {len(sheets)} half blank"
    assert "https://" in "".join(text for _, text in sheets), f"{rel}: no source address printed"


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
    page.wait_for_function(  # results are added one by one; read them once all are shown
        "() => (document.querySelector('p.search-summary') || {}).innerText?.includes('found')",
        timeout=15000,
    )
    titles = page.locator("ul.search li > a").all_inner_texts()
    assert any("workforce" in t.lower() for t in titles), titles
    page.close()


# The drawn x position of every filled point of a chart's static wide drawing, left to right.
POINTS = """(id) => [...document.querySelectorAll('.kb-figure')]
  .filter(f => f.querySelector('.kb-chart-title').textContent.includes(id))[0]
  .querySelectorAll('.kb-static svg')[1]
  .querySelectorAll('g.mark-symbol path')
  .values().map(p => parseFloat(p.getAttribute('transform').match(/translate\\(([-\\d.]+)/)[1]))
  .toArray()"""


def test_periods_are_drawn_in_time_order_with_gaps_in_proportion(site, browser):
    """October 2009, October 2016 and April 2023: seven years, then six and a half, drawn so."""
    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/chapters/indicators/mh_nurses_fte.html")
    xs = page.evaluate(POINTS, "Mental health nurses in NHS trusts and CCGs: total")
    points = xs[:3]  # the three totals; the target crosses follow
    assert points == sorted(points), points
    first, second = points[1] - points[0], points[2] - points[1]
    assert first / second == pytest.approx(7 / 6.5, rel=0.03), points
    page.close()


def test_a_reader_finds_their_trust_by_name(site, browser):
    _, base = site
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/chapters/indicators/staff_sickness_absence.html")
    rows = page.locator("#staff_sickness_absence-trusts tbody tr")
    total = rows.count()
    page.fill("input[data-kb-filter]", "berkshire")
    shown = [r for r in rows.all() if r.is_visible()]
    assert total > 40 and len(shown) == 1 and "Berkshire" in shown[0].inner_text()
    page.close()


@pytest.mark.parametrize("width", [390, 800])
def test_a_reader_reaches_a_recommendation_from_the_menu_in_two_taps(site, browser, width):
    _, base = site
    page = browser.new_page(viewport={"width": width, "height": 844})
    page.goto(f"{base}/chapters/index.html")
    menu = page.locator("button.primary-toggle:visible")
    assert menu.count() == 1
    menu.click()  # one tap: the navigation opens
    dialog = page.locator("#pst-primary-sidebar-modal")
    assert dialog.evaluate("d => d.open")
    link = dialog.locator("a.reference", has_text="Recommendation 5:")
    assert link.is_visible()
    link.click()  # two taps: the recommendation
    page.wait_for_url("**/recommendations/rec05.html")
    assert "Recommendation 5" in page.locator("h1").first.inner_text()
    page.close()


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_site_follows_the_readers_light_or_dark_setting(site, browser, scheme):
    _, base = site
    context = browser.new_context(color_scheme=scheme)  # a first visit: nothing chosen yet
    page = context.new_page()
    page.goto(f"{base}/chapters/index.html")
    page.wait_for_function(f"document.documentElement.dataset.theme === '{scheme}'", timeout=5000)
    context.close()


def test_the_landing_counts_open_the_dashboard_filtered_and_it_fits_a_desktop(site, browser):
    import mhwkb as kb
    from mhwkb import since

    _, base = site
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/chapters/index.html")
    key, label, n = since.status_counts(kb.records("recommendations"))[0]
    page.locator(f".kb-count.kb-status-{key} a").click()
    page.wait_for_url(f"**/recommendations/dashboard.html#status-{key}")
    rows = page.locator("#kb-dashboard tbody tr")
    page.wait_for_function(
        f"[...document.querySelectorAll('#kb-dashboard tbody tr')].filter(r => !r.hidden).length === {n}"
    )
    assert all(label in r.inner_text() for r in rows.all() if r.is_visible())
    fits = page.evaluate(
        "() => { const t = document.getElementById('kb-dashboard');"
        " return t.scrollWidth <= t.parentElement.clientWidth + 1; }"
    )
    assert fits, "the dashboard scrolls sideways at 1280 px"
    page.close()
