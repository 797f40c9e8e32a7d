"""Describe in words what a change does to the data, for reviewers: ``mhwkb diff [REF]``.

Compares the data files at a git ref (default ``origin/main`` or ``HEAD``) with the working
tree: series extended, values changed from/to (or revised by a new release file), release
files imported or replaced, rows and records added or removed, statuses moved. Reads only;
writes nothing outside a temporary folder.
"""

import subprocess
import tempfile
from pathlib import Path

from mhwkb import catalog, sources
from mhwkb import schemas as s
from mhwkb.kinds import KINDS
from mhwkb.parse import csv_records, yaml_records
from mhwkb.paths import DATA, ROOT


def _old_file(ref: str, name: str, folder: Path) -> Path:
    path = folder / name
    shown = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:data/{name}"], capture_output=True
    )
    path.write_bytes(shown.stdout if shown.returncode == 0 else b"")
    return path


def _rows(path: Path, name: str) -> dict:
    model, columns, key, _ = catalog.CSV_FILES[name]
    if not path.read_bytes():
        return {}
    items, _ = csv_records(path, model, columns, key)
    return {key(i.record): i.record for i in items}


def _records(path: Path, model) -> dict:
    if not path.read_bytes():
        return {}
    items, _ = yaml_records(path, model)
    return {i.record.id: i.record for i in items}


def _describe_key(key: tuple) -> str:
    indicator, series, period, *breakdown = key
    parts = [p for p in breakdown if p]
    return f"{indicator}{' [' + series + ']' if series else ''} {period}{' (' + ', '.join(parts) + ')' if parts else ''}"


def describe(ref: str) -> list[str]:
    """Sentences describing every data change between ``ref`` and the working tree."""
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old_rel = _rows(_old_file(ref, catalog.RELEASES, folder), catalog.RELEASES)
        new_rel = _rows(DATA / catalog.RELEASES, catalog.RELEASES)
        revised = sources.revised(old_rel, new_rel, _records(DATA / "sources.yaml", sources.Source))
        for key in sorted(new_rel):
            r, was = new_rel[key], old_rel.get(key)
            if was is None or was.sha256 != r.sha256:
                verb = "replaced by" if was else "imported from"
                lines.append(f"Release {verb} {r.file}: {' '.join(key)} (SHA256 {r.sha256[:12]}…).")
        old_obs = _rows(_old_file(ref, catalog.OBSERVATIONS, folder), catalog.OBSERVATIONS)
        new_obs = _rows(DATA / catalog.OBSERVATIONS, catalog.OBSERVATIONS)
        for key in sorted(new_obs.keys() - old_obs.keys()):
            o = new_obs[key]
            older = [k for k in old_obs if k[:2] == key[:2] and k[3:] == key[3:]]
            verb = "extends the series" if older else "adds"
            lines.append(
                f"Observation {verb}: {_describe_key(key)} = {o.value:g} (source {o.source})."
            )
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
                    f"Value changed: {_describe_key(key)} from {a.value:g} to {b.value:g}."
                )
            elif a != b:
                changed = [f for f in s.OBSERVATION_COLUMNS if getattr(a, f) != getattr(b, f)]
                lines.append(f"Observation {_describe_key(key)}: {', '.join(changed)} changed.")

        old_facts = _rows(_old_file(ref, catalog.FACTS, folder), catalog.FACTS)
        new_facts = _rows(DATA / catalog.FACTS, catalog.FACTS)
        for key in sorted(new_facts.keys() - old_facts.keys()):
            lines.append(f"Fact added: {key} = {new_facts[key].value:g} ({new_facts[key].label}).")
        for key in sorted(old_facts.keys() - new_facts.keys()):
            lines.append(f"Fact removed: {key}.")
        for key in sorted(old_facts.keys() & new_facts.keys()):
            if old_facts[key].value != new_facts[key].value:
                lines.append(
                    f"Fact value changed: {key} from {old_facts[key].value:g} to {new_facts[key].value:g}."
                )

        for kind, model in ((k.file, k.schema) for k in KINDS.values()):
            old = _records(_old_file(ref, f"{kind}.yaml", folder), model)
            new = _records(DATA / f"{kind}.yaml", model)
            for rid in sorted(new.keys() - old.keys()):
                lines.append(f"{kind}: record added: {rid}.")
            for rid in sorted(old.keys() - new.keys()):
                lines.append(f"{kind}: record removed: {rid}.")
            for rid in sorted(old.keys() & new.keys()):
                a, b = old[rid], new[rid]
                if a == b:
                    continue
                if kind == "recommendations" and a.status != b.status:
                    was, now = a.status[-1], b.status[-1]
                    lines.append(
                        f"Recommendation {b.number}: status moved from {was.status} ({was.date}) "
                        f"to {now.status} ({now.date}, source {now.source})."
                    )
                changed = [
                    f
                    for f in type(b).model_fields
                    if getattr(a, f) != getattr(b, f) and f != "status"
                ]
                if changed:
                    lines.append(f"{kind}: {rid}: {', '.join(changed)} changed.")
        old_bib = _old_file(ref, "references.bib", folder).read_text(encoding="utf-8")
        from mhwkb.validate import BIB_ENTRY

        old_keys = {m.group(2) for m in BIB_ENTRY.finditer(old_bib)}
        new_keys = {
            m.group(2)
            for m in BIB_ENTRY.finditer((DATA / "references.bib").read_text(encoding="utf-8"))
        }
        lines += [f"Reference added: {k}." for k in sorted(new_keys - old_keys)]
        lines += [f"Reference removed: {k}." for k in sorted(old_keys - new_keys)]
    return lines


def default_ref() -> str:
    probe = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", "--quiet", "origin/main"],
        capture_output=True,
    )
    return "origin/main" if probe.returncode == 0 else "HEAD"
