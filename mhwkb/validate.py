"""Check every data file and every link between them; report all problems at once.

``validate()`` returns the problems, sorted by file and line; it never writes a file.
Run it as ``python -m mhwkb validate`` (or ``make validate``).
"""

import re
from pathlib import Path

from pybtex.database import parse_string
from pybtex.exceptions import PybtexError

from mhwkb import catalog, kinds, sources
from mhwkb import schemas as s
from mhwkb.fileio import read_text
from mhwkb.parse import Item, csv_records, yaml_records
from mhwkb.paths import BIB, CHAPTERS, DATA, relative
from mhwkb.problems import DataError, Problem

BIB_ENTRY = re.compile(r"^@(\w+)\s*\{\s*([^,\s]+)\s*,", re.MULTILINE)


def bib_keys(path: Path = BIB) -> tuple[set[str], list[Problem]]:
    """The citation keys of the bibliography, and any syntax problems or duplicate keys."""
    name = relative(path)
    try:
        text = read_text(path)
    except DataError as err:
        return set(), err.problems
    keys: dict[str, int] = {}
    problems = []
    for m in BIB_ENTRY.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        key = m.group(2)
        if key in keys:
            problems.append(
                Problem(name, line, key, f"duplicate citation key: already on line {keys[key]}")
            )
        keys[key] = line
    if not problems:
        try:
            parse_string(text, "bibtex")
        except PybtexError as err:
            problems.append(Problem(name, getattr(err, "lineno", None) or 1, "(syntax)", str(err)))
    return set(keys), problems


def _walk(value, loc=()):
    """Yield ``(loc, key, value)`` for every mapping entry in nested dicts and lists."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield loc + (k,), k, v
            yield from _walk(v, loc + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, loc + (i,))


def _sources(items: list[Item], keys: set[str]) -> list[Problem]:
    out = []
    for item in items:
        for loc, k, v in _walk(item.record.model_dump()):
            cited = [v] if k == "source" and isinstance(v, str) else v if k == "sources" else []
            for key in cited:
                if key not in keys:
                    out.append(
                        item.problem(
                            *loc,
                            message=f"'{key}' is not a key in {relative(BIB)}; add the "
                            "reference there first",
                        )
                    )
    return out


def _observations(items: list[Item], registry: dict[str, s.Indicator]) -> list[Problem]:
    out = []
    for item in items:
        o = item.record
        ind = registry.get(o.indicator)
        if ind is None:
            out.append(
                item.problem(
                    "indicator",
                    message=f"unknown indicator '{o.indicator}'; "
                    f"known: {', '.join(sorted(registry))}",
                )
            )
            continue
        if o.series and o.series not in ind.series:
            out.append(
                item.problem(
                    "series",
                    message=f"indicator {ind.id} has no series '{o.series}'; declare "
                    "it under series: in indicators.yaml with its comparability note",
                )
            )
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
        if ind.unit in s.COUNT_UNITS and o.value < 0:
            out.append(
                item.problem(
                    "value", message=f"a count ({ind.unit}) cannot be negative (got {o.value:g})"
                )
            )
    return out


def _tables(items: list[Item], registry: dict[str, s.Indicator]) -> list[Problem]:
    from mhwkb.tables import component_lines, totals  # needs valid observations: run last

    out = []
    for item in items:
        t = item.record
        ind = registry.get(t.indicator)
        if ind is None:
            out.append(item.problem("indicator", message=f"unknown indicator '{t.indicator}'"))
            continue
        for field in ("rows", "groups"):
            b = getattr(t, field)
            if b and b not in ind.breakdowns:
                out.append(
                    item.problem(field, message=f"indicator {ind.id} has no '{b}' breakdown")
                )
        if out:
            continue
        computed = totals(t)
        for i, printed in enumerate(t.printed):
            got = computed.get((printed.period, printed.group))
            what = f"{printed.period} {printed.group or 'total'}"
            if got is None:
                out.append(item.problem("printed", i, message=f"no component rows for {what}"))
            elif abs(got - printed.value) > printed.tolerance:
                lines = component_lines(t, printed.period, printed.group)
                out.append(
                    item.problem(
                        "printed",
                        i,
                        "value",
                        message=(
                            f"the report prints {printed.value:,.0f} for {what} but the component rows add up "
                            f"to {got:,.0f} ({catalog.OBSERVATIONS} lines {lines[0]}-{lines[-1]})"
                        ),
                    )
                )
    return out


LINK_KINDS = {  # Link.kind -> the record file its id must be in ("indicator": the registry)
    k: kinds.KINDS[k].file for k in kinds.LINKABLE if k != "indicator"
}


def _links(
    records: dict[str, list[Item]], registry: dict[str, s.Indicator], chapters: set[str]
) -> list[Problem]:
    """Every id one record uses to point at another must exist."""
    ids = {kind: {i.record.id for i in items} for kind, items in records.items()}
    ids["indicator"] = set(registry)
    numbers = [i.record.number for i in records["recommendations"]]
    out = []

    def need(item: Item, loc: tuple, value, kind: str) -> None:
        if value not in ids[LINK_KINDS.get(kind, kind)]:
            known = ", ".join(sorted(ids[LINK_KINDS.get(kind, kind)])) or "none yet"
            out.append(
                item.problem(
                    *loc, message=f"unknown {kind.replace('_', ' ')} '{value}'; known: {known}"
                )
            )

    for kind, items in records.items():
        for item in items:
            r = item.record
            for i, link in enumerate(getattr(r, "evidence", [])):
                need(item, ("evidence", i, "id"), link.id, link.kind)
            for i, number in enumerate(getattr(r, "recommendations", [])):
                if number not in numbers:
                    out.append(
                        item.problem(
                            "recommendations", i, message=f"no recommendation number {number}"
                        )
                    )
            if kind == "recommendations":
                need(item, ("theme",), r.theme, "themes")
                for i, org in enumerate(r.addressees):
                    need(item, ("addressees", i), org, "organisations")
                for i, ind in enumerate(r.indicators):
                    need(item, ("indicators", i), ind, "indicator")
            if kind == "boxes" and r.chapter not in chapters:
                out.append(
                    item.problem(
                        "chapter", message=f"no chapter notebook chapters/{r.chapter}.ipynb"
                    )
                )
    for item in records["recommendations"]:
        if numbers.count(item.record.number) > 1:
            out.append(
                item.problem("number", message=f"recommendation {item.record.number} appears twice")
            )
    return out


def validate() -> list[Problem]:
    """Every problem in the data files, sorted by file and line."""
    keys, problems = bib_keys()
    indicators, p = yaml_records(DATA / catalog.INDICATORS, s.Indicator)
    problems += p + _sources(indicators, keys)
    registry = {i.record.id: i.record for i in indicators}

    records: dict[str, list[Item]] = {}
    for kind, model in catalog.RECORDS.items():
        records[kind], p = yaml_records(DATA / f"{kind}.yaml", model)
        problems += p + _sources(records[kind], keys)
    record_ids = {i.record.id for items in records.values() for i in items}

    csvs: dict[str, list[Item]] = {}
    for name, (model, columns, key, _) in catalog.CSV_FILES.items():
        csvs[name], p = csv_records(DATA / name, model, columns, key)
        problems += p + _sources(csvs[name], keys)
    problems += _observations(csvs[catalog.OBSERVATIONS], registry)
    problems += sources.check(records["sources"], csvs[catalog.RELEASES], registry)
    chapters = {p.stem for p in CHAPTERS.glob("*.ipynb")}
    problems += _links(records, registry, chapters)
    subjects = record_ids | set(registry) | chapters
    for item in csvs[catalog.FACTS]:
        if item.record.subject not in subjects:
            problems.append(
                item.problem(
                    "subject",
                    message=f"'{item.record.subject}' is not a record id, "
                    "an indicator id or a chapter name",
                )
            )

    for item in records["quality_notes"]:
        if item.record.chapter not in chapters:
            problems.append(
                item.problem(
                    "chapter", message=f"no chapter notebook chapters/{item.record.chapter}.ipynb"
                )
            )
    if not problems:
        problems += _tables(records["tables"], registry)
    return sorted(set(problems))
