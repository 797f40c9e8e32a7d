"""What the browser tests share: the pages a sample check covers, scripts run in the page
and the accessibility check (axe-core, serious and critical violations and headings out of
order)."""

from axe_playwright_python.sync_playwright import Axe

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
# What the colours decide (a dark theme changes the colours, not the page's structure).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


# The parts of a long table that axe does not read: the rows of a body after the fiftieth, and
# the bodies after the third (a table of observations has one per group and source, each a
# heading row and rows of figures). They repeat the markup and styles of those above them, and
# a long table (881 rows in 15 bodies on one page) would take most of the time of the visit.
REPEATED_ROWS = {"exclude": [["tbody tr:nth-child(n+51)"], ["tbody:nth-of-type(n+4)"]]}


def serious(axe: Axe, page, rules: list[str] | None = None) -> list[dict]:
    """Serious and critical violations and headings out of order; only ``rules`` if given.

    axe is asked for violations alone: collecting every passing element too takes a third of
    its time."""
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return [
        v
        for v in axe.run(page, context=REPEATED_ROWS, options=options).response["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] == "heading-order"
    ]
