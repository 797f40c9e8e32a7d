"""Generate the tracker pages (one per recommendation and per indicator, a dashboard, an
addressee view, the timeline) from the records, in one process with no kernel. The indicator
pages are put together here from ``indicator_data`` and ``indicator_charts``; the others come
from ``tracker_pages``.

``python -m mhwkb pages`` writes MyST pages under chapters/recommendations/ and
chapters/indicators/ from the templates in ``mhwkb/templates/`` (``*.md``), rewriting a file
only when its content changes, so Sphinx re-reads exactly the pages whose records changed.
Headings, prose and links are MyST (Sphinx builds the in-page contents and checks every
link); charts are HTML fragments. The pages are generated, never edited by hand.
"""

from datetime import date
from pathlib import Path

from mhwkb import charts, indicator_charts, kinds, links, organisations, scales, since, templates
from mhwkb import schemas as s
from mhwkb.data import indicators, records
from mhwkb.indicator_charts import indicator_figure_html
from mhwkb.indicator_data import as_of, data_last_changed, freshness, latest
from mhwkb.paths import CHAPTERS
from mhwkb.prose import period_label, with_unit
from mhwkb.provenance import provenances
from mhwkb.render import facts_table
from mhwkb.tracker_pages import by_addressee, dashboard, recommendation_page, timeline


def indicator_page(ind: s.Indicator, recs: list, today: date) -> str:
    set_by = since.policy_of_target()
    return templates.myst(
        "indicator.md",
        ind=ind,
        label=kinds.anchor("indicator", ind.id),
        unit=scales.UNITS[ind.unit].long,
        targets=[
            {
                "t": t,
                "value": with_unit(t.value, ind.unit),
                "baseline": period_label(t.baseline_period) if t.baseline_period else "",
                "deadline": period_label(t.deadline) if t.deadline else "",
                "policy": set_by.get(t.id),
            }
            for t in ind.targets
        ],
        series_units={
            k: scales.UNITS[x.unit].long if x.unit else "" for k, x in ind.series.items()
        },
        fresh=freshness(ind, today),
        since=since.summary(since.movement(ind.id, as_of=as_of())),
        provenances=provenances(ind.id),
        facts=facts_table(ind.id, f"Other figures about this measure: {ind.title}", depth=1),
        figure=indicator_figure_html(ind.id, 1),
        by_organisation=organisations.html(ind.id, 1),
        using=[r for r in recs if ind.id in r.indicators],
    )


def indicator_index(inds: dict, today: date) -> str:
    rows = [(i, scales.UNITS[i.unit].long, latest(i, as_of()) or "None yet") for i in inds.values()]
    return templates.myst("indicators.md", rows=rows)


def _write(path: Path, text: str) -> bool:
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return True


def record_page(kind: str, record, context: dict) -> str:
    """The page of one record of a kind with a page per record, from the kind's template.

    Recommendations and indicators get their figures and links; any other kind gets its
    ``record`` and ``label`` (its anchor, for the page's target).
    """
    if kind == "recommendation":
        return recommendation_page(record, context["themes"], context["today"])
    if kind == "indicator":
        return indicator_page(record, context["recs"], context["today"])
    k = kinds.KINDS[kind]
    return templates.myst(k.template, record=record, label=k.anchor_of(getattr(record, k.key)))


def generate(today: date | None = None) -> tuple[int, int]:
    """Write every tracker page; return (pages, pages rewritten)."""
    today = today or date.today()
    data_last_changed.cache_clear()
    indicator_charts.load_kept()
    charts.setup()
    recs = records("recommendations")
    themes = {t.id: t.title for t in records("themes")}
    inds = indicators()
    context = {"themes": themes, "recs": recs, "today": today}
    pages = {
        CHAPTERS / f"{k.page_of(r)}.md": record_page(k.name, r, context)
        for k in kinds.KINDS.values()
        if k.generated
        for r in links.all_records(k.name)
    }
    pages[CHAPTERS / f"{kinds.DASHBOARD}.md"] = dashboard(recs, themes)
    pages[CHAPTERS / f"{kinds.BY_ADDRESSEE}.md"] = by_addressee(recs)
    pages[CHAPTERS / f"{kinds.TIMELINE}.md"] = timeline()
    pages[CHAPTERS / "indicators.md"] = indicator_index(inds, today)
    folders = {p.parent for p in pages if p.parent != CHAPTERS}
    stale = [p for f in folders for p in f.glob("*.md") if p not in pages]  # removed records
    for p in stale:
        p.unlink()
    written = sum(_write(p, text) for p, text in pages.items())
    indicator_charts.save_kept()
    return len(pages), written + len(stale)
