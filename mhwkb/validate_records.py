"""The validator's checks of the records that link to each other: links and evidence, the
bodies addressed and what became of them, which trusts a release classifies, and the date order
of policies and milestones."""

from mhwkb import bodies, fields, kinds, sources, trusts
from mhwkb.known import Known
from mhwkb.parse import Item, Records
from mhwkb.problems import Problem

# Link.kind -> the record file its id must be in (from the registry of record kinds).
LINK_KINDS = {k: kinds.KINDS[k].file for k in kinds.LINKABLE}


def links(parsed: dict[str, Records], known: Known) -> list[Problem]:
    """Every id one record uses to point at another must exist, and not be itself."""
    recs = parsed["recommendations"]
    numbers = [i.record.number for i in recs.items]
    numbers_known = not recs.unreadable and not recs.failed and len(set(numbers)) == len(numbers)
    out = []
    for kind, records in parsed.items():
        for item in records.items:
            r = item.record
            out += _evidence(item, kind, getattr(r, "evidence", []), (), known)
            for i, number in enumerate(getattr(r, "recommendations", [])):
                if numbers_known and number not in numbers:
                    out.append(
                        item.problem(
                            "recommendations", i, message=f"no recommendation number {number}"
                        )
                    )
            if kind == "recommendations":
                for i, entry in enumerate(r.status):
                    out += _evidence(item, kind, entry.evidence, ("status", i), known)
                known.missing(item, ("theme",), "themes", r.theme)
                for i, org in enumerate(r.addressees):
                    known.missing(item, ("addressees", i), "organisations", org, "organisation")
                for i, ind in enumerate(r.indicators):
                    known.missing(item, ("indicators", i), "indicators", ind, "indicator")
            if kind in {"boxes", "quality_notes"} and r.chapter not in known.chapters:
                out.append(
                    item.problem(
                        "chapter", message=f"no chapter notebook chapters/{r.chapter}.ipynb"
                    )
                )
    for kind in ("recommendations", "developments", "case_studies"):
        seen: dict[int, int] = {}
        for item in parsed[kind].items:
            n = item.record.number
            if n in seen:
                out.append(
                    item.problem("number", message=f"number {n} is already used on line {seen[n]}")
                )
            seen.setdefault(n, item.locate("number"))
    if numbers_known and recs.items:
        gaps = sorted(set(range(1, 23)) - set(numbers))
        if gaps:
            out.append(
                Problem(
                    recs.items[0].path,
                    1,
                    "number",
                    f"the report has 22 recommendations; missing number(s): "
                    f"{', '.join(map(str, gaps))}",
                )
            )
    return out


def _evidence(item: Item, kind: str, links: list, at: tuple, known: Known) -> list[Problem]:
    """A record's evidence links (``at`` locates the list's owner): each to a record that
    exists, listed once, and not the record itself."""
    out, seen = [], set()
    for i, link in enumerate(links):
        loc = (*at, "evidence", i, "id")
        if link.kind not in LINK_KINDS:
            out.append(
                item.problem(
                    *at,
                    "evidence",
                    i,
                    "kind",
                    message=f"'{link.kind}' is not a kind of record a link can point to; use "
                    f"one of: {', '.join(LINK_KINDS)}",
                )
            )
            continue
        target = LINK_KINDS[link.kind]
        if target == kind and link.id == item.record.id:
            out.append(
                item.problem(
                    *loc, message=f"a record cannot be its own evidence ({link.kind} {link.id})"
                )
            )
        elif (link.kind, link.id) in seen:
            out.append(item.problem(*loc, message="listed twice"))
        else:
            known.missing(item, loc, target, link.id)
        seen.add((link.kind, link.id))
    return out


def organisations(items: list[Item], known: Known) -> list[Problem]:
    """Each change passes the remit to a known body other than itself, and following the
    changes ends at a body that holds it today (no loop); a loop is reported once."""
    out = []
    orgs = {i.record.id: i.record for i in items}
    loops = set()
    for item in items:
        org = item.record
        for i, change in enumerate(org.changes):
            if change.became == org.id:
                out.append(
                    item.problem("changes", i, "became", message="a body cannot become itself")
                )
            elif change.became is not None:
                known.missing(item, ("changes", i, "became"), "organisations", change.became)
        try:
            bodies.chain(org.id, orgs)
        except ValueError as loop:
            members = frozenset(str(loop).split(" -> "))
            if len(members) > 1 and members not in loops and str(loop).startswith(org.id):
                loops.add(members)
                last = max(i for i, c in enumerate(org.changes) if c.became)
                out.append(
                    item.problem(
                        "changes",
                        last,
                        "became",
                        message=f"the changes lead round in a loop ({loop}); the last body "
                        "in a chain must be one that holds the remit today",
                    )
                )
    return out


def classification(source_items: list[Item], release_items: list[Item]):
    """Code -> cluster from the latest stored release of the source that classifies
    organisations, and that release named for messages; (None, "") when there is none."""
    for item in source_items:
        src = item.record
        if src.classifies is None:
            continue
        rows = [r.record for r in release_items if r.record.source_id == src.id]
        if not rows:
            return None, ""
        latest = max(rows, key=lambda r: fields.period_sort_key(r.period))
        path = sources.stored_path(src.id, latest.period, extension=src.extension)
        data = path.read_bytes() if path.exists() else None
        if data is None or sources.sha256(data) != latest.sha256:
            return None, ""  # reported by sources.check
        text = data.decode("utf-8-sig")
        name = f"the {src.title} release for {latest.period}"
        code = src.release_format.organisation_column
        return trusts.classified(text, code, src.classifies), name
    return None, ""


def file_order(items: list[Item], key, what: str, rule: str) -> list[Problem]:
    """Records out of the order their file keeps (``key`` of a record sorts it), each reported
    at its date with the record it belongs after."""
    out = []
    for i, after in fields.out_of_order([key(item.record) for item in items]).items():
        where = (
            f"after {what} {items[after].record.id} (line {items[after].locate()})"
            if after is not None
            else "first"
        )
        message = f"dated {items[i].record.date}, out of order: {rule}; it belongs {where}"
        out.append(items[i].problem("date", message=message))
    return out


def every_recommendation_measured(parsed: dict[str, Records]) -> list[Problem]:
    """Every recommendation is measured: by an indicator, or by a milestone that names it."""
    milestones = parsed["milestones"]
    if milestones.unreadable or milestones.failed:
        return []  # a milestone that could not be read may be the measure
    named = {n for i in milestones.items for n in i.record.recommendations}
    return [
        item.problem(
            "indicators",
            message=f"recommendation {item.record.number} has no measure: list an indicator "
            f"here, or add a milestone to data/milestones.yaml whose recommendations name "
            f"{item.record.number}",
        )
        for item in parsed["recommendations"].items
        if not item.record.indicators and item.record.number not in named
    ]
