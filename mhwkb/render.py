"""Shared HTML templates for records shown in chapters: one template per kind of record.

Every string that comes from the data is escaped. Each rendered record carries an anchor
(``mhwkb.links.anchor``) so that other pages can link to it.
"""

from IPython.display import HTML

from mhwkb import links
from mhwkb.data import facts, record, records
from mhwkb.html import cite_anchor, e
from mhwkb.prose import fmt_with_unit, period_label


def _cites(keys: list[str], depth: int = 0) -> str:
    up = "../" * depth
    refs = ", ".join(f'<a href="{up}references.html#{cite_anchor(k)}">{e(k)}</a>' for k in keys)
    return f'<p class="kb-source">Sources: {refs}</p>'


def _rec_links(numbers: list[int], depth: int = 0) -> str:
    if not numbers:
        return ""
    items = ", ".join(
        f'<a href="{links.href("recommendation", n, depth)}">{n}</a>' for n in sorted(numbers)
    )
    return f"<p>Supports recommendations {items}.</p>"


def _link(kind: str, record_id: str, depth: int = 0) -> str:
    return f'<a href="{links.href(kind, record_id, depth)}">{e(links.title(kind, record_id))}</a>'


def _section(kind: str, record_id: str, heading: str, body: str) -> str:
    """A record's section, anchored so other pages can link to it; ``heading`` is escaped here."""
    return f'<section class="kb-record" id="{links.anchor(kind, record_id)}"><h3>{e(heading)}</h3>{body}</section>'


def facts_table(subject: str, caption: str) -> str:
    """The figures recorded about ``subject``, each with its period, geography and source."""
    rows = facts(subject)
    if rows.empty:
        return ""
    body = "".join(
        f'<tr id="fact-{e(r.id)}"><th scope="row">{e(r.label)}</th><td>{e(fmt_with_unit(r.value, r.unit))}</td>'
        f"<td>{e(period_label(r.period))}</td><td>{e(r.geography)}</td>"
        f'<td><a href="references.html#{cite_anchor(r.source)}">{e(r.source)}</a>'
        f"{(' — ' + e(r.note)) if r.note else ''}</td></tr>"
        for r in rows.itertuples()
    )
    return (
        f'<div class="kb-table"><table><caption>{e(caption)}</caption><thead><tr>'
        '<th scope="col">Figure</th><th scope="col">Value</th><th scope="col">Period</th>'
        '<th scope="col">Where</th><th scope="col">Source and note</th></tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def case_study(case_id: str) -> HTML:
    """One case study: what it shows, who runs it, how it works, its figures."""
    c = record("case_studies", case_id)
    partners = (
        f"<p><strong>Partners:</strong> {e('; '.join(c.partners))}.</p>" if c.partners else ""
    )
    return HTML(
        _section(
            "case_study",
            c.id,
            f"Case study {c.number}: {c.title}",
            f"<p><strong>Who and where:</strong> {e(c.organisation)}, {e(c.place)}.</p>{partners}"
            f'<p class="kb-shows"><strong>What it shows:</strong> {e(c.shows)}</p>'
            f"<p>{e(c.summary)}</p>{facts_table(c.id, f'Figures: {c.title}')}"
            f"{_rec_links(c.recommendations)}{_cites(c.sources)}",
        )
    )


def finding(finding_id: str) -> HTML:
    """A finding's record, under its section of the chapter (whose heading carries the anchor):
    the summary, its figures, related evidence, the recommendations it supports, its sources."""
    f = record("findings", finding_id)
    evidence = ""
    if f.evidence:
        evidence = "<p>See also: " + "; ".join(_link(x.kind, x.id) for x in f.evidence) + ".</p>"
    return HTML(
        f'<div class="kb-record kb-finding"><p><strong>In brief:</strong> {e(f.summary)}</p>'
        f"{facts_table(f.id, f'Figures: {f.title}')}{evidence}"
        f"{_rec_links(f.recommendations)}{_cites(f.sources)}</div>"
    )


def box(box_id: str) -> HTML:
    """A boxed text of the report."""
    b = record("boxes", box_id)
    lists = "".join(
        f"<p><strong>{e(x.title)}</strong></p><ol>{''.join(f'<li>{e(i)}</li>' for i in x.items)}</ol>"
        for x in b.lists
    )
    return HTML(
        f'<aside class="kb-box" id="{links.anchor("box", b.id)}" aria-labelledby="{links.anchor("box", b.id)}-title">'
        f'<h3 id="{links.anchor("box", b.id)}-title">{e(b.title)}</h3><p>{e(b.summary)}</p>'
        f"{lists}{_cites(b.sources)}</aside>"
    )


def developments() -> HTML:
    """The wider developments, numbered as in the report, each with its figures."""
    return HTML(
        "".join(
            _section(
                "development",
                d.id,
                f"{d.number}. {d.title}",
                f"<p>{e(d.summary)}</p>{facts_table(d.id, f'Figures: {d.title}')}{_cites(d.sources)}",
            )
            for d in records("developments")
        )
    )


def policies() -> HTML:
    """The policy timeline: each document with its date, body, summary and commitments."""
    return HTML(
        "".join(
            _section(
                "policy",
                p.id,
                p.title,
                f"<p><strong>{e(period_label(p.date))}</strong> · {e(p.body)}</p><p>{e(p.summary)}</p>"
                f"{facts_table(p.id, f'Workforce commitments and figures: {p.title}')}{_cites([p.source])}",
            )
            for p in records("policies")
        )
    )


def related_study(study_id: str) -> HTML:
    """A related study with its citation, summary, key findings, figures and linked recommendations."""
    s = record("related_studies", study_id)
    items = "".join(f"<li>{e(i)}</li>" for i in s.findings)
    return HTML(
        _section(
            "related_study",
            s.id,
            s.title,
            f"<p><em>{e(s.kind)}</em></p><p>{e(s.summary)}</p><p><strong>What it found</strong></p><ul>{items}</ul>"
            f"{facts_table(s.id, f'Figures: {s.title}')}{_rec_links(s.recommendations)}{_cites([s.source])}",
        )
    )
