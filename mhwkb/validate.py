"""Check every data file and every link between them; report all problems at once.

``validate()`` returns the problems, sorted by file and line; it never writes a file. Run it
as ``python -m mhwkb validate`` (or ``make validate``). Tests pass in-memory edits
(``validate(edits={"observations.csv": b"..."})``) to check a change without copying files.

One mistake gives one message: a record that fails its schema, or a file that cannot be read,
is reported once, and other records' links to it are not reported again; an unknown citation
key is reported once per file that uses it.
"""

import difflib
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from mhwkb import bibliography, bodies, catalog, changelog, imported, kinds, sources, trusts
from mhwkb import schemas as s
from mhwkb.fileio import DataFile
from mhwkb.parse import Item, Records, csv_records, yaml_records
from mhwkb.paths import CHAPTERS, DATA
from mhwkb.problems import Problem

CHANGELOG = "CHANGELOG.md"
BIB = "references.bib"
# Files in data/ that are not data: generated or documentation.
OTHER_FILES = {"datapackage.json", "README.md", "DICTIONARY.md"}
# Link.kind -> the record file its id must be in (from the registry of record kinds).
LINK_KINDS = {k: kinds.KINDS[k].file for k in kinds.LINKABLE}


def data_files() -> list[str]:
    """Every file ``data/`` must hold."""
    return [
        catalog.INDICATORS,
        *(f"{kind}.yaml" for kind in catalog.RECORDS),
        *catalog.CSV_FILES,
        BIB,
        CHANGELOG,
    ]


@lru_cache(maxsize=64)
def _parsed(file: DataFile):
    """Each file parsed once per content (tests validate many edits of one file at a time).

    A missing file gives an unreadable result and no problem: ``_files`` reports it.
    """
    name = file.name.rsplit("/", 1)[-1]
    if name == BIB:
        return (
            bibliography.read(file)
            if file.raw is not None
            else bibliography.Bibliography(readable=False)
        )
    if name == CHANGELOG:
        return changelog.read_changelog(file) if file.raw is not None else ([], [])
    if file.raw is None:
        return Records(unreadable=True)
    if name in catalog.CSV_FILES:
        model, columns, key, _ = catalog.CSV_FILES[name]
        return csv_records(file, model, columns, key)
    kind = name.removesuffix(".yaml")
    return yaml_records(file, s.Indicator if name == catalog.INDICATORS else catalog.RECORDS[kind])


def _files(folder: Path, edits: Mapping[str, bytes | None]) -> tuple[dict, list[Problem]]:
    """The data files by name (edits replace or, as None, delete files) and problems with the set."""
    present = {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}
    present = (present | {n for n, raw in edits.items() if raw is not None}) - {
        n for n, raw in edits.items() if raw is None
    }
    files = {}
    for name in data_files():
        if name in edits:
            files[name] = DataFile(f"data/{name}", edits[name])
        else:
            files[name] = DataFile.read(folder / name, f"data/{name}")
    problems = []
    strangers = sorted(present - set(data_files()) - OTHER_FILES)
    for name in strangers:
        missing = [n for n in data_files() if n not in present]
        like = difflib.get_close_matches(name, missing, n=1, cutoff=0.5)
        if like:
            continue  # reported once, as the missing file it looks like
        problems.append(
            Problem(
                f"data/{name}",
                1,
                "(file)",
                "not a file the knowledge base reads; data files are listed in data/README.md",
            )
        )
    for name in data_files():
        if name not in present:
            like = difflib.get_close_matches(name, strangers, n=1, cutoff=0.5)
            hint = f"; data/{like[0]} looks like it, was it renamed?" if like else ""
            problems.append(Problem(f"data/{name}", 1, "(file)", f"the file is missing{hint}"))
    return files, problems


class Unknowns:
    """Links to what does not exist, reported once per file and value, at the first use."""

    def __init__(self):
        self.uses: dict[tuple, tuple[str, list]] = {}

    def add(self, item: Item, loc: tuple, value, message: str) -> None:
        self.uses.setdefault((item.path, message, str(value)), (message, []))[1].append((item, loc))

    def problems(self) -> list[Problem]:
        out = []
        for message, uses in self.uses.values():
            item, loc = uses[0]
            lines = sorted({i.locate(*at) for i, at in uses} - {item.locate(*loc)})
            if lines:
                shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
                message += f" (also used on {len(lines)} more line(s): {shown})"
            out.append(item.problem(*loc, message=message))
        return out


@lru_cache(maxsize=64)
def _citations(records: Records) -> list[tuple[Item, tuple, str]]:
    """``(item, loc, key)`` of every citation in a file's records, found once per parse."""
    return [
        (item, loc, key) for item in records.items for loc, key in _cited(item.record.model_dump())
    ]


def _sources(records: Records, bib: bibliography.Bibliography, unknowns: Unknowns) -> None:
    """Citation keys that are not in the bibliography."""
    for item, loc, key in _citations(records):
        if key not in bib.keys:
            like = difflib.get_close_matches(key, list(bib.keys), n=1, cutoff=0.6)
            hint = f"; did you mean '{like[0]}' (line {bib.keys[like[0]]})?" if like else ""
            unknowns.add(
                item,
                loc,
                key,
                f"'{key}' is not a key in data/{BIB}{hint}; add the reference there first or "
                "correct the key",
            )


def _views(items: list[Item], bib: bibliography.Bibliography) -> list[Problem]:
    """A view in a status entry reports what one of the entry's own sources says."""
    out = []
    for item in items:
        for i, entry in enumerate(item.record.status):
            for j, view in enumerate(entry.views):
                known = not bib.readable or view.source in bib.keys  # else reported as unknown
                if known and view.source not in entry.sources:
                    out.append(
                        item.problem(
                            "status",
                            i,
                            "views",
                            j,
                            "source",
                            message=f"'{view.source}' is not among this entry's sources; a view "
                            "reports what a source the entry cites says: add it to sources, or "
                            "correct the key",
                        )
                    )
    return out


def _cited(value, loc=()):
    """``(loc, key)`` of every citation (``source``, ``baseline_source``, ``sources``) in a
    dumped record."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("source", "baseline_source") and isinstance(v, str):
                yield loc + (k,), v
            elif k == "sources" and isinstance(v, list):
                yield from ((loc + (k, i), key) for i, key in enumerate(v))
            else:
                yield from _cited(v, loc + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _cited(v, loc + (i,))


def _in_range(item: Item, value: float, unit: str, *loc) -> list[Problem]:
    why = s.out_of_range(value, unit)
    return [item.problem(*loc, message=why)] if why else []


def _did_you_mean(value, ids) -> str:
    """``did you mean 'x' or 'y'?`` for the ids closest to a mistyped one; blank if none is."""
    like = difflib.get_close_matches(str(value), sorted(ids), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(repr(x) for x in like)}?" if like else ""


class Known:
    """The ids each kind of record has, and which links cannot be judged (their target failed)."""

    def __init__(self, parsed: dict[str, Records], chapters: set[str], unknowns: Unknowns):
        self.unknowns = unknowns
        self.ids = {k: {i.record.id for i in r.items} for k, r in parsed.items()}
        self.failed = {k: {str(f) for f in r.failed} for k, r in parsed.items()}
        self.unreadable = {k for k, r in parsed.items() if r.unreadable}
        self.chapters = chapters

    def judged(self, kind: str, value) -> bool:
        """Whether a link to ``value`` can be judged: its file was read and it did not fail."""
        return kind not in self.unreadable and str(value) not in self.failed[kind]

    def missing(self, item: Item, loc: tuple, kind: str, value, what: str = "") -> None:
        """Note a link to ``value`` among the ``kind`` records if there is none (reported later)."""
        if value in self.ids[kind] or not self.judged(kind, value):
            return
        known = ", ".join(sorted(self.ids[kind])) or "none yet"
        hint = _did_you_mean(value, self.ids[kind]) or f"known: {known}"
        what = what or kind.removesuffix("s").replace("_", " ")
        self.unknowns.add(item, loc, value, f"unknown {what} '{value}'; {hint}")


def _observations(
    items: list[Item], registry: dict[str, s.Indicator], known: Known
) -> list[Problem]:
    out = []
    for item in items:
        o = item.record
        ind = registry.get(o.indicator)
        if ind is None:
            known.missing(item, ("indicator",), "indicators", o.indicator, "indicator")
            continue
        if o.series and o.series not in ind.series:
            out.append(
                item.problem(
                    "series",
                    message=f"indicator {ind.id} has no series '{o.series}'; declare "
                    "it under series: in indicators.yaml with its comparability note",
                )
            )
            continue
        for b in s.BREAKDOWNS:
            value = getattr(o, b)
            if not value:
                continue
            if b not in ind.breakdowns:
                out.append(
                    item.problem(
                        b, message=f"indicator {ind.id} has no '{b}' breakdown; leave it blank"
                    )
                )
            elif value not in ind.breakdowns[b].values:
                allowed = ", ".join(ind.breakdowns[b].values)
                out.append(
                    item.problem(
                        b, message=f"'{value}' is not an allowed value; allowed: {allowed}"
                    )
                )
        out += _in_range(item, o.value, ind.series_unit(o.series), "value")
    return out


def _by_breakdown(items: list[Item], registry: dict[str, s.Indicator]) -> dict[tuple, dict]:
    """Counts (a rate or a share is not the sum of its parts) by each breakdown that adds up,
    grouped by (indicator, breakdown, series, period, the other breakdowns' values), then by
    the breakdown's value ("" for the total)."""
    groups: dict[tuple, dict[str, list[Item]]] = {}
    for item in items:
        o = item.record
        ind = registry.get(o.indicator)
        if ind is None or ind.series_unit(o.series) not in s.COUNT_UNITS:
            continue
        for b, breakdown in ind.breakdowns.items():
            if breakdown.additive:
                others = tuple(getattr(o, x) for x in s.BREAKDOWNS if x != b)
                key = (o.indicator, b, o.series, o.period, others)
                groups.setdefault(key, {}).setdefault(getattr(o, b), []).append(item)
    return groups


def _parts_add_up(items: list[Item], registry: dict[str, s.Indicator]) -> list[Problem]:
    """Where a total row has a row beside it for every value of a breakdown that adds up, the
    rows add up to the total within rounding: half a unit of the coarsest digit printed, for
    each part. Figures printed as approximate (over, around) are not held to it."""
    out = []
    for (indicator, b, *_), rows in _by_breakdown(items, registry).items():
        breakdown = registry[indicator].breakdowns[b]
        if "" not in rows or not rows.keys() >= breakdown.values.keys():
            continue
        total, parts = rows[""], [p for v in breakdown.values for p in rows[v]]
        if len(total) + len(parts) > len(breakdown.values) + 1:
            continue  # a duplicate row, reported as one
        if any(r.record.qualifier for r in [*total, *parts]):
            continue
        figures = [r.raw["value"].strip() for r in [*total, *parts]]  # as printed: 13.60
        allowed = len(parts) * Decimal(5).scaleb(-1 - min(map(s.decimals_of, figures)))
        want, got = Decimal(figures[0]), sum(map(Decimal, figures[1:]))
        if abs(got - want) > allowed:
            lines = ", ".join(str(p.locate()) for p in parts)
            out.append(
                total[0].problem(
                    "value",
                    message=f"the {len(parts)} rows by {breakdown.label.lower()} (lines {lines}) "
                    f"add up to {got:,f}, not {want:,f} (rounding allows "
                    f"±{allowed.normalize():f}); correct the figures, or, if the total counts "
                    "more than these values, declare the rest as a value of the breakdown in "
                    "indicators.yaml",
                )
            )
    return out


def _indicators(items: list[Item]) -> list[Problem]:
    out = []
    for item in items:
        ind = item.record
        out += _targets(item)
        for i, t in enumerate(ind.targets):
            if t.kind == "level":
                out += _in_range(item, t.value, t.unit, "targets", i, "value")
            elif s.out_of_range(t.value, t.unit):
                low, high = s.UNIT_RANGES[t.unit]
                out.append(
                    item.problem(
                        "targets",
                        i,
                        "value",
                        message=f"an increase of {t.value:g} is more than the plausible range "
                        f"for {t.unit} ({low:,g} to {high:,g})",
                    )
                )
    return out


def _targets(item: Item) -> list[Problem]:
    """A target is measured on a series of its indicator in that series' unit, and one that
    comes on top of another names an earlier target of the same series."""
    ind, out = item.record, []
    by_id = {t.id: t for t in ind.targets}
    twice = {t.id for t in ind.targets if [x.id for x in ind.targets].count(t.id) > 1}
    for i, t in enumerate(ind.targets):
        if t.series and t.series not in ind.series:
            declared = ", ".join(ind.series) or "none"
            out.append(
                item.problem(
                    "targets",
                    i,
                    "series",
                    message=f"indicator {ind.id} has no series '{t.series}'; declared: {declared}",
                )
            )
            continue
        counts = ind.series_unit(t.series)
        if t.measurable and t.unit != counts:
            what = f"its series {t.series}" if t.series else f"indicator {ind.id}"
            out.append(
                item.problem(
                    "targets",
                    i,
                    "unit",
                    message=f"the target counts {t.unit} but {what} counts {counts}: measure it "
                    "on a series in its unit, or set measurable: false",
                )
            )
        if t.cumulative_with is None or t.cumulative_with in twice:
            continue  # a duplicated id is reported once, as a duplicate
        earlier = by_id.get(t.cumulative_with)
        if earlier is None or earlier is t:
            out.append(
                item.problem(
                    "targets",
                    i,
                    "cumulative_with",
                    message=f"'{t.cumulative_with}' is not another target of {ind.id}; known: "
                    f"{', '.join(x for x in by_id if x != t.id) or 'none'}",
                )
            )
        elif (earlier.series, earlier.unit) != (t.series, t.unit):
            out.append(
                item.problem(
                    "targets",
                    i,
                    "cumulative_with",
                    message=f"target {earlier.id} is counted on another series or unit; a target "
                    "comes on top of one counted the same way",
                )
            )
        elif (
            earlier.deadline
            and t.deadline
            and (s.period_sort_key(earlier.deadline) > s.period_sort_key(t.deadline))
        ):
            out.append(
                item.problem(
                    "targets",
                    i,
                    "cumulative_with",
                    message=f"target {earlier.id} is due later ({earlier.deadline}); a target "
                    "comes on top of an earlier one",
                )
            )
    return out


def _facts(items: list[Item], known: Known, subjects: set[str], judged: bool) -> list[Problem]:
    out = []
    for item in items:
        f = item.record
        out += _in_range(item, f.value, f.unit, "value")
        failed = any(f.subject in ids for ids in known.failed.values())
        if judged and not failed and f.subject not in subjects:
            out.append(
                item.problem(
                    "subject",
                    message=f"'{f.subject}' is not a record id, an indicator id or a chapter name",
                )
            )
    return out


def _links(parsed: dict[str, Records], known: Known) -> list[Problem]:
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


def _measures(parsed: dict[str, Records]) -> list[Problem]:
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


def _organisations(items: list[Item], known: Known) -> list[Problem]:
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


def _classification(source_items: list[Item], release_items: list[Item]):
    """Code -> cluster from the latest stored release of the source that classifies
    organisations, and that release named for messages; (None, "") when there is none."""
    for item in source_items:
        src = item.record
        if src.classifies is None:
            continue
        rows = [r.record for r in release_items if r.record.source_id == src.id]
        if not rows:
            return None, ""
        latest = max(rows, key=lambda r: s.period_sort_key(r.period))
        path = sources.stored_path(src.id, latest.period, extension=src.extension)
        if not path.exists() or sources.sha256(path.read_bytes()) != latest.sha256:
            return None, ""  # reported by sources.check
        text = path.read_bytes().decode("utf-8-sig")
        name = f"the {src.title} release for {latest.period}"
        code = src.release_format.organisation_column
        return trusts.classified(text, code, src.classifies), name
    return None, ""


def _file_order(items: list[Item], key, what: str, rule: str) -> list[Problem]:
    """Records out of the order their file keeps (``key`` of a record sorts it), each reported
    at its date with the record it belongs after."""
    out = []
    for i, after in s.out_of_order([key(item.record) for item in items]).items():
        where = (
            f"after {what} {items[after].record.id} (line {items[after].locate()})"
            if after is not None
            else "first"
        )
        message = f"dated {items[i].record.date}, out of order: {rule}; it belongs {where}"
        out.append(items[i].problem("date", message=message))
    return out


def _policy_targets(policies: list[Item], indicators: Records, known: Known) -> list[Problem]:
    """The targets a policy sets are targets in indicators.yaml, each set by one policy and due
    no earlier than the policy was published."""
    out = []
    declared: dict[str, tuple[Item, int]] = {}  # target id -> its indicator and its place there
    for item in indicators.items:
        for i, t in enumerate(item.record.targets):
            if t.id in declared:
                line = declared[t.id][0].locate("targets", declared[t.id][1], "id")
                out.append(
                    item.problem(
                        "targets",
                        i,
                        "id",
                        message=f"target id {t.id} is already used on line {line}; "
                        "policies name targets by id, so each must be unique",
                    )
                )
            declared.setdefault(t.id, (item, i))
    judged = not indicators.unreadable and not indicators.failed
    set_by: dict[str, tuple[str, int]] = {}
    for item in policies:
        for i, target in enumerate(item.record.targets):
            if target in set_by:
                other, line = set_by[target]
                out.append(
                    item.problem(
                        "targets",
                        i,
                        message=f"target {target} is already set by policy {other} (line "
                        f"{line}); a target is set by one policy",
                    )
                )
            elif target in declared:
                out += _due_after_it_was_set(*declared[target], item, i)
            elif judged:
                hint = _did_you_mean(target, declared) or (
                    "targets are declared under an indicator in indicators.yaml"
                )
                known.unknowns.add(
                    item, ("targets", i), target, f"unknown target '{target}'; {hint}"
                )
            set_by.setdefault(target, (item.record.id, item.locate("targets", i)))
    return out


def _due_after_it_was_set(indicator: Item, i: int, policy: Item, j: int) -> list[Problem]:
    """A target (the ``i``th of an indicator) is not due before the policy that sets it (naming
    it ``j``th) was published: its deadline ends on or after the policy's date begins."""
    t, p = indicator.record.targets[i], policy.record
    if t.deadline is None or s.period_end(t.deadline) >= s.period_start(p.date):
        return []
    return [
        indicator.problem(
            "targets",
            i,
            "deadline",
            message=f"the deadline {t.deadline} ends before policy {p.id}, which sets the target, "
            f"was published ({p.date}, {policy.path} line {policy.locate('targets', j)}); "
            "correct the deadline, or the policy that names the target",
        )
    ]


def _table_shapes(
    items: list[Item], registry: dict[str, s.Indicator], known: Known
) -> list[Problem]:
    out = []
    for item in items:
        t = item.record
        ind = registry.get(t.indicator)
        if ind is None:
            known.missing(item, ("indicator",), "indicators", t.indicator, "indicator")
            continue
        for field in ("rows", "groups"):
            b = getattr(t, field)
            if b and b not in ind.breakdowns:
                out.append(
                    item.problem(field, message=f"indicator {ind.id} has no '{b}' breakdown")
                )
        for i, printed in enumerate(t.printed):
            if printed.period not in t.periods:
                out.append(
                    item.problem(
                        "printed",
                        i,
                        "period",
                        message=f"'{printed.period}' is not one of the table's periods "
                        f"({', '.join(t.periods)})",
                    )
                )
            if printed.group and (
                not t.groups
                or t.groups not in ind.breakdowns
                or printed.group not in ind.breakdowns[t.groups].values
            ):
                out.append(
                    item.problem(
                        "printed",
                        i,
                        "group",
                        message=f"'{printed.group}' is not a group of the table",
                    )
                )
    return out


def _table_totals(
    items: list[Item], registry: dict[str, s.Indicator], observations: list[Item]
) -> list[Problem]:
    """The report's printed totals against the sums of their component rows."""
    import pandas as pd

    from mhwkb.tables import component_lines, totals

    columns = [*s.OBSERVATION_COLUMNS, "line"]
    out = []
    for item in items:
        t = item.record
        obs = pd.DataFrame(
            [
                {**o.record.model_dump(), "line": o.locate()}
                for o in observations
                if o.record.indicator == t.indicator
            ],
            columns=columns,
        )
        computed = totals(t, registry[t.indicator], obs)
        without = []
        for i, printed in enumerate(t.printed):
            got = computed.get((printed.period, printed.group))
            what = f"{printed.period} {printed.group or 'total'}"
            lines = component_lines(t, printed.period, printed.group, obs)
            if got is None or not lines:
                without.append(what)
            elif abs(got - printed.value) > printed.tolerance:
                out.append(
                    item.problem(
                        "printed",
                        i,
                        "value",
                        message=(
                            f"the report prints {printed.value:,.0f} for {what} but the component "
                            f"rows add up to {got:,.0f} ({catalog.OBSERVATIONS} lines "
                            f"{lines[0]}-{lines[-1]})"
                        ),
                    )
                )
        if without:
            out.append(
                item.problem(
                    "printed",
                    message=f"no component rows in {catalog.OBSERVATIONS} for {', '.join(without)}",
                )
            )
    return out


def validate(
    folder: Path = DATA,
    edits: Mapping[str, bytes | None] | None = None,
    chapters: set[str] | None = None,
) -> list[Problem]:
    """Every problem in the data files of ``folder``, sorted by file and line.

    ``edits`` replaces files by name with other bytes (``None``: the file is deleted);
    ``chapters`` are the chapter names records may refer to (default: the notebooks).
    """
    if not Path(folder).is_dir():
        return [Problem("data", 1, "(folder)", "the data folder is missing")]
    files, problems = _files(Path(folder), edits or {})
    if chapters is None:
        chapters = {p.stem for p in CHAPTERS.glob("*.ipynb")}
    bib: bibliography.Bibliography = _parsed(files[BIB])
    problems += bib.problems
    problems += _parsed(files[CHANGELOG])[1]

    names = {"indicators": catalog.INDICATORS, **{k: f"{k}.yaml" for k in catalog.RECORDS}}
    parsed: dict[str, Records] = {kind: _parsed(files[name]) for kind, name in names.items()}
    csvs: dict[str, Records] = {name: _parsed(files[name]) for name in catalog.CSV_FILES}
    unknowns = Unknowns()
    for records in [*parsed.values(), *csvs.values()]:
        problems += records.problems
        if bib.readable:
            _sources(records, bib, unknowns)

    known = Known(parsed, chapters, unknowns)
    registry: dict[str, s.Indicator] = {}
    for i in parsed["indicators"].items:  # a duplicate is reported; links use the first
        registry.setdefault(i.record.id, i.record)
    problems += _indicators(parsed["indicators"].items)
    observations = csvs[catalog.OBSERVATIONS]
    problems += _observations(observations.items, registry, known)
    problems += _parts_add_up(observations.items, registry)
    problems += _links({k: r for k, r in parsed.items() if k != "indicators"}, known)
    problems += _views(parsed["recommendations"].items, bib)
    problems += _measures(parsed)
    problems += _organisations(parsed["organisations"].items, known)
    problems += _policy_targets(parsed["policies"].items, parsed["indicators"], known)
    problems += _file_order(
        parsed["policies"].items,
        lambda p: (not p.in_report, s.period_sort_key(p.date)),
        "policy",
        "the policies the report discusses (in_report) come first, then the later ones, each "
        "oldest first",
    )
    problems += _file_order(
        parsed["milestones"].items, lambda m: m.date, "milestone", "milestones are oldest first"
    )
    subjects = set().union(*known.ids.values()) | chapters
    problems += _facts(csvs[catalog.FACTS].items, known, subjects, not known.unreadable)
    tables = parsed["tables"]
    problems += _table_shapes(tables.items, registry, known)
    listed = parsed["trusts"]
    clusters = None if listed.unreadable else {i.record.cluster for i in listed.items} - {""}
    problems += sources.check(
        parsed["sources"].items, csvs[catalog.RELEASES].items, registry, clusters, known.missing
    )
    in_release, release = _classification(parsed["sources"].items, csvs[catalog.RELEASES].items)
    counted = {
        g.cluster for i in parsed["sources"].items for d in i.record.derive for g in d.groups
    } - {None}
    problems += trusts.check(listed.items, in_release, release, counted)
    problems += unknowns.problems()
    if not problems:
        problems += _table_totals(tables.items, registry, observations.items)
        problems += imported.check(
            observations.items,
            csvs[catalog.RELEASES].items,
            parsed["sources"].items,
            listed.items,
        )
    return sorted(set(problems))
