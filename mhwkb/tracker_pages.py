"""The tracker's pages besides the indicators': one per recommendation, the dashboard, the
bodies addressed then and now, the timeline, and the recommendations as JSON."""

import json
from dataclasses import dataclass
from datetime import date

from mhwkb import bodies, fields, kinds, links, scales, since, templates
from mhwkb import schemas as s
from mhwkb.data import indicator, indicators, records
from mhwkb.indicator_charts import indicator_figure_html
from mhwkb.indicator_data import freshness
from mhwkb.prose import period_label
from mhwkb.since import CONFIDENCE_LABELS, STATUS_LABELS

RESPONSE_LABELS = {
    "accepted": "Accepted",
    "accepted_in_principle": "Accepted in principle",
    "not_accepted": "Not accepted",
    "no_response_recorded": "No response recorded",
}


def _measured(m: since.Movement) -> str:
    """How an indicator has moved, without repeating its name: the part of the label after
    the title (a breakdown's headline), then the movement in short."""
    part = m.label.removeprefix(f"{m.indicator.title}: ") if m.label != m.indicator.title else ""
    text = since.in_short(m) or "no figure recorded"
    return f"{part}: {text}" if part else text


def recommendation_page(rec, theme_titles: dict, today: date) -> str:
    """A recommendation's page: where it stands now and on what evidence first, then how it is
    measured, what the report asked, the assessments over time and the indicators' charts."""
    orgs = bodies.by_id()
    inds = [
        {
            "ind": (ind := indicator(i)),
            "fresh": freshness(ind, today),
            "since": _measured(since.movement(i)),
            "figure": indicator_figure_html(i, 1, whole=False),
        }
        for i in rec.indicators
    ]
    now = rec.status[-1]
    return templates.myst(
        "recommendation.md",
        rec=rec,
        theme=theme_titles[rec.theme],
        addressees=[(a, bodies.name_now(a, orgs)) for a in rec.addressees],
        now=now,
        now_label=STATUS_LABELS[now.status],
        confidence=scales.CONFIDENCE,
        now_evidence=[(x.kind, x.id, links.title(x.kind, x.id), x.note) for x in now.evidence],
        evidence=[(x.kind, x.id, links.title(x.kind, x.id)) for x in rec.evidence],
        statuses=[
            (st, STATUS_LABELS[st.status])
            for st in reversed(rec.status[:-1])
            if st.status != "published"  # the report itself: said under what the report asked
        ],
        published=rec.status[0].date,
        response=RESPONSE_LABELS[rec.response.status],
        indicators=inds,
        milestones=[m for m in records("milestones") if rec.number in m.recommendations],
        policies=[
            p for p in records("policies") if not p.in_report and rec.number in p.recommendations
        ],
    )


def dashboard(recs, theme_titles) -> str:
    orgs = bodies.by_id()
    ranks = {k: i for i, k in enumerate(STATUS_LABELS)}
    strength = {k: len(CONFIDENCE_LABELS) - i for i, k in enumerate(CONFIDENCE_LABELS)}
    rows = []
    for r in recs:
        movement, measured = since.short_since(r.indicators)
        status = r.status[-1].status
        confidence = r.status[-1].confidence
        rows.append(
            {
                "rec": r,
                "href": links.href("recommendation", r.number, 1),
                "theme": theme_titles[r.theme],
                "theme_key": r.theme,
                "addressees": "; ".join(bodies.name_now(a, orgs) for a in r.addressees),
                "status": STATUS_LABELS[status],
                "status_key": status,
                "status_rank": ranks[status],
                "confidence": CONFIDENCE_LABELS.get(confidence, "Not rated"),
                "confidence_key": confidence or "",
                "confidence_rank": strength.get(confidence, 0),
                "date": r.status[-1].date.isoformat(),
                "movement": movement,
                "indicator_href": links.href("indicator", measured, 1) if measured else "",
            }
        )
    counts = since.status_counts(recs)
    table = templates.html(
        "dashboard_table.html",
        rows=rows,
        counts=counts,
        confidences=since.confidence_counts(recs),
        themes=[(k, v) for k, v in theme_titles.items() if any(r.theme == k for r in recs)],
    )
    return templates.myst(
        "dashboard.md",
        table=table,
        counts=counts,
        report_month=period_label(since.REPORT_MONTH),
    )


def by_addressee(recs) -> str:
    """The bodies addressed, who holds each remit today, and the status of what was asked."""
    orgs = bodies.by_id()

    def group(org):
        asked = [r for r in recs if org.id in r.addressees]
        return {
            "org": org,
            "chain": [orgs[x] for x in bodies.chain(org.id, orgs)],
            "recs": [
                (r, STATUS_LABELS[r.status[-1].status], r.status[-1].date.isoformat())
                for r in asked
            ],
            "took": [o for o in orgs.values() if any(c.became == org.id for c in o.changes)],
        }

    groups = [group(o) for o in orgs.values()]
    return templates.myst(
        "by_addressee.md",
        addressed=[g for g in groups if g["recs"]],
        others=[g for g in groups if not g["recs"]],
    )


@dataclass(frozen=True)
class TimelineEntry:
    """One dated entry of the timeline: a policy, a milestone, a change to a body, the report."""

    date: str
    title: str
    kind_label: str
    summary: str
    source: str
    body: str = ""
    anchor: str | None = None  # set where the timeline is the record's own place
    see: str = ""  # a link to where the record is shown, when that is elsewhere
    targets: tuple = ()  # (indicator, target, target in words) for each target a policy sets
    recommendations: tuple[int, ...] = ()

    @property
    def when(self) -> str:
        return period_label(self.date)


def timeline_entries() -> list[TimelineEntry]:
    """Policies (from 2016), milestones, organisation changes and the report itself, as
    timeline entries in date order (an event known only by its year comes first in it)."""
    targets = {t.id: (ind, t) for ind in indicators().values() for t in ind.targets}
    out = [
        TimelineEntry(
            date=since.REPORT_MONTH,
            title="The future of the mental health workforce",
            kind_label="The report",
            body="Centre for Mental Health for the NHS Confederation Mental Health Network",
            summary="The report this knowledge base retells, with its "
            f"{len(records('recommendations'))} recommendations.",
            see=kinds.doc("chapters/recommendations", "Its recommendations."),
            source="cmh2017",
        )
    ]
    for p in records("policies"):
        if fields.period_sort_key(p.date) < "2016":
            continue
        out.append(
            TimelineEntry(
                date=p.date,
                title=p.title,
                kind_label=p.kind.capitalize(),
                summary=p.summary,
                source=p.source,
                body=p.body,
                anchor=None if p.in_report else kinds.anchor("policy", p.id),
                see=links.link("policy", p.id, "In the report's policy chapter.")
                if p.in_report
                else "",
                targets=tuple(
                    (ind, t, since.target_text(t, ind.unit))
                    for ind, t in (targets[x] for x in p.targets)
                ),
                recommendations=tuple(sorted(p.recommendations)),
            )
        )
    for m in records("milestones"):
        out.append(
            TimelineEntry(
                date=m.date,
                title=m.title,
                kind_label=s.MILESTONE_KINDS[m.kind],
                summary=m.summary,
                source=m.source,
                body=m.body,
                anchor=kinds.anchor("milestone", m.id),
                recommendations=tuple(sorted(m.recommendations)),
            )
        )
    orgs = bodies.by_id()
    addressed = {a for r in records("recommendations") for a in r.addressees}
    for o in orgs.values():
        for c in o.changes:
            after = f" Its remit passed to {orgs[c.became].name}." if c.became else ""
            out.append(
                TimelineEntry(
                    date=c.date,
                    title=o.name,
                    kind_label="A change to a body the report addressed"
                    if o.id in addressed
                    else "A change to a body that took over a remit",
                    summary=c.what.rstrip(".") + "." + after,
                    source=c.source,
                    see=links.link("organisation", o.id, "Bodies then and now."),
                )
            )
    return sorted(out, key=lambda e: e.date)


def timeline() -> str:
    entries = timeline_entries()
    years = [
        (y, [e for e in entries if e.date[:4] == y]) for y in sorted({e.date[:4] for e in entries})
    ]
    return templates.myst("timeline.md", years=years)


def recommendations_json() -> str:
    """The 22 records as published in data/recommendations.json."""
    out = []
    for r in records("recommendations"):
        d = r.model_dump(mode="json")
        out.append(
            {
                "number": d["number"],
                "theme": d["theme"],
                "title": d["title"],
                "paraphrase": d["paraphrase"],
                "addressees": d["addressees"],
                "evidence": d["evidence"],
                "indicators": d["indicators"],
                "status": d["status"],
                "response": d["response"],
            }
        )
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
