"""Records shown in chapters, one template per kind of record (``mhwkb/templates/<kind>.html``).

Every string from the data is escaped by the templates. Each rendered record carries its
anchor (``mhwkb.kinds``) so that other pages can link to it.
"""

import re

from IPython.display import HTML

from mhwkb import kinds, links, prose, scales, since, templates
from mhwkb.data import facts, record, records


def facts_table(subject: str, caption: str, depth: int = 0) -> str:
    """The figures recorded about ``subject``, each with its unit, period, geography and source,
    for a page ``depth`` folders below chapters/."""
    rows = list(facts(subject).itertuples())
    return templates.html("facts.html", rows=rows, caption=caption, depth=depth)


def _record(kind: str, r, facts_caption: str | None = None, **extra) -> str:
    k = kinds.KINDS[kind]
    caption = facts_caption or f"Figures: {k.title(r)}"
    figures = facts_table(r.id, caption) if facts_caption != "" else ""
    return templates.html(
        k.template, record=r, anchor=k.anchor_of(getattr(r, k.key)), facts=figures, **extra
    )


def show(kind: str, record_id: str) -> HTML:
    """Any record shown in a chapter, from its kind's template (``mhwkb/templates/<kind>.html``)."""
    return HTML(_record(kind, links.lookup(kind, record_id)))


def case_study(case_id: str) -> HTML:
    """One case study: what it shows, who runs it, how it works, its figures."""
    return HTML(_record("case_study", record("case_studies", case_id)))


def finding(finding_id: str) -> HTML:
    """A finding's record, under its section of the chapter (whose heading carries the anchor):
    the summary, its figures, related evidence, the recommendations it supports, its sources."""
    f = record("findings", finding_id)
    evidence = [(x.kind, x.id, links.title(x.kind, x.id)) for x in f.evidence]
    return HTML(_record("finding", f, evidence=evidence))


def box(box_id: str) -> HTML:
    """A boxed text of the report."""
    return HTML(_record("box", record("boxes", box_id), facts_caption=""))


def developments() -> HTML:
    """The wider developments, numbered as in the report, each with its figures."""
    return HTML("".join(_record("development", d) for d in records("developments")))


def report_policies() -> list:
    """The policy documents the report discusses (later ones are on the timeline)."""
    return [p for p in records("policies") if p.in_report]


def policies() -> HTML:
    """The report's policy documents: each with its date, body, summary and commitments."""
    return HTML(
        "".join(
            _record("policy", p, f"Workforce commitments and figures: {p.title}")
            for p in report_policies()
        )
    )


def related_study(study_id: str) -> HTML:
    """A related study with its citation, summary, key findings, figures and linked recommendations."""
    return HTML(_record("related_study", record("related_studies", study_id)))


def recommendations_by_theme() -> HTML:
    """Every recommendation under its theme, with its paraphrase and addressees."""
    recs = records("recommendations")
    names = {o.id: o.name for o in records("organisations")}
    groups = [(t, [r for r in recs if r.theme == t.id]) for t in records("themes")]
    return HTML(
        templates.html(
            "recommendations_by_theme.html",
            groups=groups,
            orgs=lambda r: [names[a] for a in r.addressees],
        )
    )


def rating_scale() -> HTML:
    """The published rating method: each status with its criterion, each kind of evidence with
    what counts as it, and the rule that joins them."""

    def words(keys, table) -> str:
        return " or ".join(table[k].label.lower() for k in keys)

    weak = [k for k in scales.CONFIDENCE if k not in scales.STRONG_EVIDENCE]
    return HTML(
        templates.html(
            "rating_scale.html",
            statuses=scales.STATUSES,
            confidence=scales.CONFIDENCE,
            strong_ratings=words(scales.NEEDS_STRONG_EVIDENCE, scales.STATUSES),
            strong_evidence=words(scales.STRONG_EVIDENCE, scales.CONFIDENCE),
            weak_evidence=words(weak, scales.CONFIDENCE),
            ceiling=scales.STATUSES[scales.WEAK_EVIDENCE_CEILING].label.lower(),
        )
    )


def changelog() -> HTML:
    """The data changelog, version by version, shown as text (its Markdown is not rendered)."""
    from mhwkb.datapackage import changelog as text

    parts = re.split(r"^## +(.*)$", text(), flags=re.M)
    versions = [(parts[i].strip(), parts[i + 1].strip("\n")) for i in range(1, len(parts) - 1, 2)]
    return HTML(templates.html("changelog.html", versions=versions))


def since_2017() -> HTML:
    """What has happened since the report, at a glance: three questions answered from the
    data, the recommendations by status, the headline measures from the report's baseline to
    their latest figure with their targets' progress, and the later plans."""
    from mhwkb.datapackage import latest_release

    as_of = latest_release().date
    recs = records("recommendations")
    set_by = since.policy_of_target()
    measures = []
    for indicator_id, group in since.HEADLINE_MEASURES:
        m = since.movement(indicator_id, group, as_of)
        targets = [] if group else m.indicator.targets
        progress = [(t, since.progress(m.indicator, t), set_by.get(t.id)) for t in targets]
        measures.append((m, progress))
    later = [p for p in records("policies") if not p.in_report]
    return HTML(
        templates.html(
            "since.html",
            total=len(recs),
            assessed=max(r.status[-1].date for r in recs).isoformat(),
            as_of=f"{latest_release().version} ({prose.day_label(as_of)})",
            answers=since.verdict(as_of),
            counts=since.status_counts(recs),
            dashboard=kinds.page_href(kinds.DASHBOARD),
            measures=measures,
            plans=[p for p in later if p.kind in {"plan", "strategy"}],
            reviews=[p for p in later if p.kind == "review"],
            target_text=since.target_text,
            row_href=lambda c: (
                links.href("indicator", c.indicator) + (f"#obs-{c.line}" if c.line else "")
            ),
            at=prose.at,
        )
    )
