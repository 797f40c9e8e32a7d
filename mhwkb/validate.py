"""Check every data file and every link between them; report all problems at once.

``validate()`` returns the problems, sorted by file and line; it never writes a file. Run it
as ``python -m mhwkb validate`` (or ``make validate``). Tests pass in-memory edits
(``validate(edits={"observations.csv": b"..."})``) to check a change without copying files.

The checks of what is measured are in ``validate_measures``, those of records that link to
each other in ``validate_records``; ``known`` says what a link may point at.

One mistake gives one message: a record that fails its schema, or a file that cannot be read,
is reported once, and other records' links to it are not reported again; an unknown citation
key is reported once per file that uses it.
"""

import difflib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from mhwkb import (
    bibliography,
    catalog,
    changelog,
    fields,
    imported,
    sources,
    trusts,
    validate_measures,
    validate_records,
)
from mhwkb import schemas as s
from mhwkb.fileio import DataFile
from mhwkb.known import Known, Unknowns
from mhwkb.parse import Item, Records, csv_records, yaml_records
from mhwkb.paths import CHAPTERS, DATA
from mhwkb.problems import Problem

CHANGELOG = "CHANGELOG.md"
BIB = "references.bib"
# Files in data/ that are not data: generated or documentation.
OTHER_FILES = {"datapackage.json", "README.md", "DICTIONARY.md"}


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
    problems += validate_measures.indicators(parsed["indicators"].items)
    observations = csvs[catalog.OBSERVATIONS]
    problems += validate_measures.observations(observations.items, registry, known)
    problems += validate_measures.parts_add_up(observations.items, registry)
    problems += validate_records.links(
        {k: r for k, r in parsed.items() if k != "indicators"}, known
    )
    problems += _views(parsed["recommendations"].items, bib)
    problems += validate_records.every_recommendation_measured(parsed)
    problems += validate_records.organisations(parsed["organisations"].items, known)
    problems += validate_measures.policy_targets(
        parsed["policies"].items, parsed["indicators"], known
    )
    problems += validate_records.file_order(
        parsed["policies"].items,
        lambda p: (not p.in_report, fields.period_sort_key(p.date)),
        "policy",
        "the policies the report discusses (in_report) come first, then the later ones, each "
        "oldest first",
    )
    problems += validate_records.file_order(
        parsed["milestones"].items, lambda m: m.date, "milestone", "milestones are oldest first"
    )
    subjects = set().union(*known.ids.values()) | chapters
    problems += validate_measures.facts(
        csvs[catalog.FACTS].items, known, subjects, not known.unreadable
    )
    tables = parsed["tables"]
    problems += validate_measures.table_shapes(tables.items, registry, known)
    listed = parsed["trusts"]
    clusters = None if listed.unreadable else {i.record.cluster for i in listed.items} - {""}
    problems += sources.check(
        parsed["sources"].items, csvs[catalog.RELEASES].items, registry, clusters, known.missing
    )
    in_release, release = validate_records.classification(
        parsed["sources"].items, csvs[catalog.RELEASES].items
    )
    counted = {
        g.cluster for i in parsed["sources"].items for d in i.record.derive for g in d.groups
    } - {None}
    problems += trusts.check(listed.items, in_release, release, counted)
    problems += unknowns.problems()
    if not problems:
        problems += validate_measures.table_totals(tables.items, registry, observations.items)
        problems += imported.check(
            observations.items,
            csvs[catalog.RELEASES].items,
            parsed["sources"].items,
            listed.items,
        )
    return sorted(set(problems))
