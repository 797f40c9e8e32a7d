"""Describe in words what a change does to the data, for reviewers: ``mhwkb diff [REF]``.

Compares the data files at a git ref (default ``origin/main`` or ``HEAD``) with the working
tree: series extended, figures revised from/to (or revised by a new release file), release
files imported or replaced, rows and records added or removed, status entries (with their
views), targets and the dated changes of organisations and trusts added, revised or removed.
Reads only; writes nothing.
"""

import subprocess
from collections.abc import Callable

from mhwkb import catalog, fields, recommendation_schema, sources
from mhwkb import schemas as s
from mhwkb.bibliography import ENTRY, SPECIAL
from mhwkb.changelog import read_changelog
from mhwkb.fileio import DataFile
from mhwkb.kinds import KINDS
from mhwkb.parse import csv_records, yaml_records
from mhwkb.paths import DATA, ROOT

Reader = Callable[[str], bytes | None]  # a data file's bytes by name, None when absent


def _at(ref: str) -> Reader:
    def read(name: str) -> bytes | None:
        shown = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{ref}:data/{name}"], capture_output=True
        )
        return shown.stdout if shown.returncode == 0 else None

    return read


def _working_tree(name: str) -> bytes | None:
    path = DATA / name
    return path.read_bytes() if path.is_file() else None


def _rows(read: Reader, name: str) -> dict:
    model, columns, key, _ = catalog.CSV_FILES[name]
    raw = read(name)
    if not raw:
        return {}
    return {
        key(i.record): i.record for i in csv_records(DataFile(name, raw), model, columns, key).items
    }


def _records(read: Reader, name: str, model) -> dict:
    raw = read(name)
    if not raw:
        return {}
    return {i.record.id: i.record for i in yaml_records(DataFile(name, raw), model).items}


def _describe_key(key: tuple) -> str:
    indicator, series, period, *breakdown = key
    parts = [p for p in breakdown if p]
    return f"{indicator}{' [' + series + ']' if series else ''} {period}{' (' + ', '.join(parts) + ')' if parts else ''}"


def _entry(e: recommendation_schema.StatusEntry) -> str:
    keys = ", ".join(e.sources)
    return f"{e.status} ({e.date}, source{'s' if len(e.sources) > 1 else ''} {keys})"


def _views(views: list[fields.View]) -> str:
    """What each source says: ``bodyone2026 says "..."``."""
    return "; ".join(f'{v.source} says "{v.says}"' for v in views) or "none"


def _statuses(
    number: int,
    old: list[recommendation_schema.StatusEntry],
    new: list[recommendation_schema.StatusEntry],
) -> list[str]:
    """Status entries added, revised or removed, matched by date, with their new views."""
    before = {e.date: e for e in old}
    after = {e.date: e for e in new}
    lines = []
    for day in sorted(after.keys() - before.keys()):
        views = f"; views: {_views(after[day].views)}" if after[day].views else ""
        lines.append(f"Recommendation {number}: status entry added: {_entry(after[day])}{views}.")
    for day in sorted(after.keys() & before.keys()):
        if after[day] != before[day]:
            views = after[day].views
            now = f"; its views now: {_views(views)}" if views != before[day].views else ""
            lines.append(
                f"Recommendation {number}: status entry of {day} revised from "
                f"{_entry(before[day])} to {_entry(after[day])}{now}."
            )
    for day in sorted(before.keys() - after.keys()):
        lines.append(f"Recommendation {number}: status entry removed: {_entry(before[day])}.")
    return lines


def _shown(value) -> str:
    """A field's value in a sentence: 8100, 2020/21, blank."""
    if value is None or value == "":
        return "blank"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _revisions(a, b) -> str:
    """Each field that differs between two versions of a part of a record, from its old value
    to its new one (views: what they now say)."""
    return "; ".join(
        f"views now: {_views(getattr(b, f))}"
        if f == "views"
        else f"{f} revised from {_shown(getattr(a, f))} to {_shown(getattr(b, f))}"
        for f in type(b).model_fields
        if getattr(a, f) != getattr(b, f)
    )


def _target(t: s.Target) -> str:
    """A target in a few words: an increase of 8100 fte by 2020/21 (source hee2017)."""
    what = "an increase" if t.kind == "increase" else "a level"
    by = f" by {t.deadline}" if t.deadline else ""
    return f"{what} of {t.value:g} {t.unit}{by} (source {t.source})"


def _targets(indicator_id: str, old: list[s.Target], new: list[s.Target]) -> list[str]:
    """An indicator's targets added, revised or removed, matched by id."""
    before, after = {t.id: t for t in old}, {t.id: t for t in new}
    lines = [
        f"Target {i} added to {indicator_id}: {_target(after[i])}."
        for i in after
        if i not in before
    ]
    lines += [
        f"Target {i} of {indicator_id}: {_revisions(before[i], after[i])}."
        for i in after
        if i in before and before[i] != after[i]
    ]
    lines += [
        f"Target {i} removed from {indicator_id} (was {_target(before[i])})."
        for i in before
        if i not in after
    ]
    return lines


def _dated(changes: list) -> dict[tuple, object]:
    """Dated changes by (date, how many earlier ones share it), so two on a day stay apart."""
    out = {}
    for c in changes:
        out[(c.date, sum(k[0] == c.date for k in out))] = c
    return out


def _change(c) -> str:
    became = f"; became {c.became}" if c.became else ""
    return f"{c.date}, {c.what}{became} (source {c.source})"


def _changes(who: str, old: list, new: list) -> list[str]:
    """The dated changes of an organisation or a trust added, revised or removed, by date."""
    before, after = _dated(old), _dated(new)
    lines = [f"{who}: change added: {_change(after[k])}." for k in after if k not in before]
    lines += [
        f"{who}: change of {k[0]}: {_revisions(before[k], after[k])}."
        for k in after
        if k in before and before[k] != after[k]
    ]
    lines += [f"{who}: change removed: {_change(before[k])}." for k in before if k not in after]
    return lines


def _parts(kind: str, a, b) -> list[str]:
    """What changed in the parts of a record that are told one by one (status entries,
    targets, dated changes); the field holding them is not reported again as changed."""
    if kind == "recommendations":
        return _statuses(b.number, a.status, b.status)
    if kind == "indicators":
        return _targets(b.id, a.targets, b.targets)
    if kind in ("organisations", "trusts"):
        return _changes(f"{kind.removesuffix('s').capitalize()} {b.id}", a.changes, b.changes)
    return []


TOLD_IN_PARTS = {
    "recommendations": "status",
    "indicators": "targets",
    "organisations": "changes",
    "trusts": "changes",
}


def compare(old: Reader, new: Reader) -> list[str]:
    """Sentences describing every data change from ``old`` to ``new``."""
    lines = []
    old_obs, new_obs = _rows(old, catalog.OBSERVATIONS), _rows(new, catalog.OBSERVATIONS)
    old_rel, new_rel = _rows(old, catalog.RELEASES), _rows(new, catalog.RELEASES)
    revised = sources.revised(old_rel, new_rel, _records(new, "sources.yaml", sources.Source))
    for key in sorted(new_rel):
        r, was = new_rel[key], old_rel.get(key)
        if was is None or was.sha256 != r.sha256:
            verb = "replaced by" if was else "imported from"
            lines.append(f"Release {verb} {r.file}: {' '.join(key)} (SHA256 {r.sha256[:12]}…).")
    for key in sorted(new_obs.keys() - old_obs.keys()):
        o = new_obs[key]
        older = [k for k in old_obs if k[:2] == key[:2] and k[3:] == key[3:]]
        verb = "extends the series" if older else "adds"
        lines.append(f"Observation {verb}: {_describe_key(key)} = {o.value:g} (source {o.source}).")
    for key in sorted(old_obs.keys() - new_obs.keys()):
        lines.append(f"Observation removed: {_describe_key(key)} (was {old_obs[key].value:g}).")
    for key in sorted(old_obs.keys() & new_obs.keys()):
        a, b = old_obs[key], new_obs[key]
        if a.value != b.value and (key[0], key[2]) in revised:
            lines.append(
                f"Value revised by a new release: {_describe_key(key)} revised from "
                f"{a.value:g} to {b.value:g}."
            )
        elif a.value != b.value:
            lines.append(
                f"Observation {_describe_key(key)} revised from {a.value:g} to {b.value:g} "
                f"(source {b.source})."
            )
        elif a != b:
            changed = [f for f in s.OBSERVATION_COLUMNS if getattr(a, f) != getattr(b, f)]
            lines.append(f"Observation {_describe_key(key)}: {', '.join(changed)} changed.")

    old_facts, new_facts = _rows(old, catalog.FACTS), _rows(new, catalog.FACTS)
    for key in sorted(new_facts.keys() - old_facts.keys()):
        lines.append(f"Fact added: {key} = {new_facts[key].value:g} ({new_facts[key].label}).")
    for key in sorted(old_facts.keys() - new_facts.keys()):
        lines.append(f"Fact removed: {key}.")
    for key in sorted(old_facts.keys() & new_facts.keys()):
        if old_facts[key].value != new_facts[key].value:
            lines.append(
                f"Fact {key} revised from {old_facts[key].value:g} to {new_facts[key].value:g}."
            )

    for kind, model in ((k.file, k.schema) for k in KINDS.values()):
        before = _records(old, f"{kind}.yaml", model)
        after = _records(new, f"{kind}.yaml", model)
        for rid in sorted(after.keys() - before.keys()):
            lines.append(f"{kind}: record added: {rid}.")
        for rid in sorted(before.keys() - after.keys()):
            lines.append(f"{kind}: record removed: {rid}.")
        for rid in sorted(before.keys() & after.keys()):
            a, b = before[rid], after[rid]
            if a == b:
                continue
            lines += _parts(kind, a, b)
            changed = [
                f
                for f in type(b).model_fields
                if getattr(a, f) != getattr(b, f) and f != TOLD_IN_PARTS.get(kind)
            ]
            if changed:
                lines.append(f"{kind}: {rid}: {', '.join(changed)} changed.")

    def keys(read: Reader) -> set[str]:
        text = (read("references.bib") or b"").decode("utf-8", errors="replace")
        return {m.group(2) for m in ENTRY.finditer(text) if m.group(1).lower() not in SPECIAL}

    old_keys, new_keys = keys(old), keys(new)
    lines += [f"Reference added: {k}." for k in sorted(new_keys - old_keys)]
    lines += [f"Reference removed: {k}." for k in sorted(old_keys - new_keys)]

    def releases(read: Reader) -> dict[str, str]:
        raw = read("CHANGELOG.md")
        found = read_changelog(DataFile("CHANGELOG.md", raw))[0] if raw else []
        return {r.version: f"{r.version} ({r.date})" for r in found}

    old_releases, new_releases = releases(old), releases(new)
    lines += [f"Release added: {new_releases[v]}." for v in new_releases if v not in old_releases]
    return lines


def describe(ref: str) -> list[str]:
    """Sentences describing every data change between ``ref`` and the working tree."""
    return compare(_at(ref), _working_tree)


def default_ref() -> str:
    probe = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", "origin/main"],
        capture_output=True,
    )
    return "origin/main" if probe.returncode == 0 else "HEAD"
