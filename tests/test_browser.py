"""The published site in a real browser (Debian's Chromium, headless, network off), as
readers use it (every page at phone width is in ``test_browser_phone.py``).

Chart labels fit on a small phone and a desktop; the colours pass axe-core in dark mode;
charts are drawn without JavaScript and come alive when a reader points at them; printing
shows no scrollbars, toggles or clipped charts and no half-blank sheet; search, the trust
filter, the menu and the landing page's counts work; the site follows the reader's light or
dark setting.
"""

import pytest
from chromium import CHART_FITS, COLOUR_RULES, LABEL_CLASHES, PHONE, SAMPLE, serious
from conftest import needs_chromium

needs_chromium()

from axe_playwright_python.sync_playwright import Axe  # noqa: E402


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


LIVE_IN_DARK = {"chapters/current_workforce.html", "chapters/indicators/mh_nurses_fte.html"}


def test_no_serious_accessibility_violations_in_dark_mode(site, browser):
    """The rules the colours decide, in the dark theme, with a live chart (the light theme's
    visit of every page runs every rule)."""
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
        if rel in LIVE_IN_DARK:  # a live chart too (one of a chapter, one of an indicator)
            page.locator(".kb-chart").first.hover()
            page.wait_for_selector(".kb-chart[data-live='yes']", timeout=15000)
        violations = serious(axe, page, COLOUR_RULES)
        if violations:
            found[rel] = [f"{v['id']}: {v['help']}" for v in violations]
    page.close()
    assert found == {}


def test_the_accessibility_check_finds_low_contrast_text(site, browser):
    """The check the visits run is not blind: text in a near-white grey is reported."""
    _, base = site
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/chapters/indicators/mh_nurses_fte.html")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.add_style_tag(content="main p, tbody tr:first-child td { color: #f2f2f2 !important; }")
    found = {v["id"] for v in serious(Axe(), page)}
    page.close()
    assert "color-contrast" in found


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
