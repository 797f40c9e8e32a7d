"""Imported figures stay what was published: every observation that a stored release gives is
compared with that release, derived again, and a row typed over by hand is named.

Deriving a large workbook takes seconds, so what each stored release gives is kept in
``_build/.cache/kept/imported.json`` under a digest of everything it depends on (the release's
bytes, its source's definition, the trusts' clusters and the code that reads it).
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from mhwkb import fields, kept, trusts
from mhwkb.parse import Item
from mhwkb.paths import relative
from mhwkb.problems import Problem
from mhwkb.release import ReleaseFile, read
from mhwkb.sources import Source, stored_path

CACHE = "imported.json"  # in kept.CACHE
CODE = [Path(__file__).with_name(n) for n in ("release.py", "sources.py", "importer.py")]
COMPARED = ("value", "status", "source", "note", "qualifier")
# The fields of a source that shape what a release gives (not its title or notes).
READ_BY = {"id", "source", "status", "release_format", "derive", "releases"}


def key(row: dict[str, str]) -> tuple:
    """What identifies an observation: indicator, series, period and breakdowns."""
    return (row["indicator"], row["series"], row["period"], *(row[b] for b in fields.BREAKDOWNS))


@cache
def _code() -> tuple[str, ...]:
    """The code that reads a release, read once per process (every release's digest has it)."""
    return tuple(p.read_text(encoding="utf-8") for p in CODE)


def _digest(data: bytes, source: Source, clusters: dict[str, set[str]]) -> str:
    return kept.digest(
        hashlib.sha256(data).hexdigest(),
        source.model_dump_json(include=READ_BY),
        json.dumps({k: sorted(v) for k, v in clusters.items()}, sort_keys=True),
        *_code(),
    )


def given(
    releases: list[Item], sources: list[Item], listed: list[Item]
) -> list[tuple[Item, str, dict[str, str]]]:
    """(release item, stored file, observation) for every observation the stored releases
    give; a release whose file is missing or does not read is left to the other checks."""
    by_id = {i.record.id: i.record for i in sources}
    clusters = trusts.codes({i.record.id: i.record for i in listed})
    cache, changed, out = kept.load(CACHE), False, []
    for item in releases:
        source = by_id.get(item.record.source_id)
        if source is None:
            continue
        path = stored_path(source.id, item.record.period, extension=source.extension)
        if not path.exists():
            continue
        data, file = path.read_bytes(), relative(path)
        digest = _digest(data, source, clusters)
        if digest not in cache:
            reading, _ = read(ReleaseFile(file, data), source, clusters)
            if reading is None:
                continue
            cache[digest], changed = reading.observations, True
        out += [(item, file, row) for row in cache[digest]]
    if changed:
        kept.save(CACHE, cache)
    return out


def check(
    observations: list[Item], releases: list[Item], sources: list[Item], listed: list[Item]
) -> list[Problem]:
    """An imported row that differs from its stored release, or that is missing, named once."""
    rows = {key(i.raw): i for i in observations if i.raw}
    out, missing = [], []
    for release, file, row in given(releases, sources, listed):
        item = rows.get(key(row))
        if item is None:
            missing.append((release, file, row))
            continue
        for field in COMPARED:
            if item.raw.get(field, "") != row[field]:
                out.append(
                    item.problem(
                        field,
                        message=f"'{item.raw.get(field, '')}' is not what the stored release "
                        f"{file} gives ('{row[field]}'); an imported figure changes only by "
                        "importing a new release file, never by hand",
                    )
                )
                break
    if missing:  # one mistake (rows deleted), one message
        release, file, row = missing[0]
        files = sorted({f for _, f, _ in missing})
        out.append(
            release.problem(
                "file",
                message=f"data/observations.csv lacks {len(missing)} observation(s) that the "
                f"stored releases give, the first {', '.join(x for x in key(row) if x)} = "
                f"{row['value']} from {file}; import "
                f"{'it' if len(files) == 1 else 'them'} again (python -m mhwkb import "
                f"{' '.join(files)})",
            )
        )
    return out
