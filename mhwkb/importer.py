"""Import official release files: ``python -m mhwkb import FILE|FOLDER|URL ...``.

Each file is checked against its source in ``data/sources.yaml`` (columns, types, month,
known checksum) and turned into observations. The would-be data (observations, the
provenance in ``releases.csv``, the release bytes under ``releases/``, a drafted changelog
line) are validated by ``python -m mhwkb validate`` in a temporary copy of the project; only
when every file and the whole would-be data pass is anything written. Importing a file again
changes nothing; a new month extends the series; a new file for an imported month replaces
its values (a revision).
"""

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mhwkb import catalog, fields, kept, trusts
from mhwkb import schemas as s
from mhwkb.imported import key as observation_key
from mhwkb.parse import yaml_records
from mhwkb.paths import CHAPTERS, DATA, relative
from mhwkb.problems import Problem
from mhwkb.prose import period_label
from mhwkb.release import Reading, ReleaseFile, choose_source, read
from mhwkb.sources import Source, stored_path

TIMEOUT = 60  # seconds to wait for a server
MAX_BYTES = 100 * 1024 * 1024
HEADING = re.compile(r"^## (\d+)\.(\d+)\.(\d+) \((\d{4}-\d{2}-\d{2})\)$")


def fetch(url: str) -> tuple[ReleaseFile | None, list[Problem]]:
    """A release file fetched over http(s), or a problem naming the URL."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return None, [Problem(url, 1, "(address)", "only http and https addresses are fetched")]
    request = urllib.request.Request(url, headers={"User-Agent": "mhwkb-import"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as err:
        return None, [Problem(url, 1, "(address)", f"the server answered {err.code} {err.reason}")]
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        return None, [Problem(url, 1, "(address)", f"could not fetch the file: {reason}")]
    if len(data) > MAX_BYTES:
        return None, [Problem(url, 1, "(address)", f"the file is larger than {MAX_BYTES} bytes")]
    return ReleaseFile(url, data, address=url), []


RELEASE_SUFFIXES = (".csv", ".xlsx")


def acquire(target: str) -> tuple[list[ReleaseFile], bool, list[Problem]]:
    """The files a target names (a URL, a file, or every CSV and Excel file in a folder);
    True for a folder."""
    if "://" in target:
        file, problems = fetch(target)
        return ([file] if file else []), False, problems
    path = Path(target)
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RELEASE_SUFFIXES
        )
        return [ReleaseFile(str(p), p.read_bytes()) for p in files], True, []
    if path.is_file():
        return [ReleaseFile(str(path), path.read_bytes())], False, []
    return [], False, [Problem(target, 1, "(file)", "no such file or folder")]


def _registry() -> tuple[list[Source], dict[str, set[str]], list[Problem]]:
    """The sources, the organisation codes of each cluster, and problems reading them."""
    parsed = yaml_records(DATA / "sources.yaml", Source)
    listed = yaml_records(DATA / "trusts.yaml", s.Trust)
    clusters = trusts.codes({i.record.id: i.record for i in listed.items})
    return [i.record for i in parsed.items], clusters, parsed.problems + listed.problems


class Row(dict):
    """A CSV row that remembers the line it was read from, so an unchanged row is written back
    exactly as it was (its quoting too) and a diff shows only the rows an import changed."""

    line: str = ""


def _csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [Row(r) for r in reader]
    lines = text.splitlines(keepends=True)[1:]
    if len(lines) == len(rows):  # one line a row: each row keeps its own
        for row, line in zip(rows, lines, strict=True):
            row.line = line
    return list(reader.fieldnames or []), rows


def _csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        original = getattr(row, "line", "")
        if (
            original
            and next(csv.DictReader(io.StringIO(",".join(header) + "\n" + original))) == row
        ):
            out.write(original if original.endswith("\n") else original + "\n")
        else:
            writer.writerow(row)
    return out.getvalue()


def _span(periods: list[str]) -> str:
    """Periods in words: 'April 2024 to March 2025' when they are consecutive months."""
    periods = sorted(periods, key=fields.period_sort_key)
    months = [int(p[:4]) * 12 + int(p[5:7]) for p in periods if len(p) == 7 and p[4] == "-"]
    consecutive = len(months) == len(periods) and months == list(range(months[0], months[-1] + 1))
    if len(periods) > 2 and consecutive:
        return f"{period_label(periods[0])} to {period_label(periods[-1])}"
    return ", ".join(period_label(p) for p in periods)


@dataclass
class Plan:
    """What an import would write (data-relative path -> bytes) and what it tells the reader."""

    writes: dict[str, bytes] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    changelog: list[str] = field(default_factory=list)


def _merge(obs_rows: list[dict[str, str]], derived: list[dict[str, str]]) -> tuple[bool, list]:
    """Put derived observations into the rows (in place): new keys go after the indicator's
    last row, changed rows are replaced. Whether anything changed, and the values that did."""
    index = {observation_key(r): i for i, r in enumerate(obs_rows)}
    changed, values = False, []
    for row in derived:
        key = observation_key(row)
        if key not in index:
            same = [i for i, r in enumerate(obs_rows) if r["indicator"] == row["indicator"]]
            obs_rows.insert(max(same, default=len(obs_rows) - 1) + 1, row)
            index = {observation_key(r): i for i, r in enumerate(obs_rows)}
            changed = True
        elif obs_rows[index[key]] != row:
            was = obs_rows[index[key]]["value"]
            if was != row["value"]:
                where = row["group"] or row["subgroup"] or row["country"]
                values.append(f"{row['indicator']} {where}: {was} -> {row['value']}")
            obs_rows[index[key]] = row
            changed = True
    return changed, values


def _provenance(reading: Reading, today: date) -> dict[str, str]:
    """The releases.csv row of a file: a known release is recorded as published, with how
    far the registry says its bytes were verified."""
    src, known = reading.source, reading.known
    return {
        "source_id": src.id,
        "period": reading.period,
        "covers": reading.covers,
        "file": known.file if known else reading.file.basename,
        "address": known.url if known else reading.file.address,
        "sha256": reading.sha256,
        "read": today.isoformat(),
        "licence": src.licence.name,
        "status": src.status,
        "assurance": known.assurance if known else "unverified",
    }


def _changelog(added: list[Reading], revised: list[Reading]) -> list[str]:
    lines = []
    for verb, done in (("imported", added), ("revised", revised)):
        for src in {r.source.id: r.source for r in done}.values():
            mine = [r for r in done if r.source is src]
            files = f"{len(mine)} release file{'s' if len(mine) > 1 else ''}"
            if verb == "revised":
                files = "a new release file: " + ", ".join(r.file.basename for r in mine)
            inds = ", ".join(sorted({d.indicator for d in src.derive}))
            spans = [r.covers or r.period for r in mine]
            lines.append(
                f"- {src.title} ({src.publisher}) {verb} for {_span(spans)} ({files}): {inds}."
            )
    return lines


def plan(readings: list[Reading], today: date) -> Plan:
    """Merge the readings into the current data: new months added, changed months replaced."""
    result = Plan()
    obs_header, obs_rows = _csv_rows(DATA / catalog.OBSERVATIONS)
    rel_header, rel_rows = _csv_rows(DATA / catalog.RELEASES)
    releases = {(r["source_id"], r["period"]): r for r in rel_rows}
    added, revised = [], []
    for reading in sorted(readings, key=lambda r: (r.source.id, fields.period_sort_key(r.period))):
        key = (reading.source.id, reading.period)
        changed, values = _merge(obs_rows, reading.observations)
        current = releases.get(key)
        if current and current["sha256"] == reading.sha256:
            verb = "recomputed" if changed else "unchanged (already imported)"
        else:
            verb = "revised" if current else "added"
            (revised if current else added).append(reading)
            releases[key] = _provenance(reading, today)
            path = stored_path(reading.source.id, reading.period, Path(), reading.source.extension)
            result.writes[path.as_posix()] = reading.file.data
        span = f" ({period_label(reading.covers)})" if reading.covers else ""
        result.report.append(
            f"{reading.file.name}: {reading.source.title}, {period_label(reading.period)}{span}: "
            f"{verb}" + (f" ({'; '.join(values)})" if values else "")
        )
    result.changelog = _changelog(added, revised)
    new_obs = _csv_text(obs_header, obs_rows)
    if new_obs != (DATA / catalog.OBSERVATIONS).read_text(encoding="utf-8"):
        result.writes[catalog.OBSERVATIONS] = new_obs.encode("utf-8")
        if not result.changelog:
            ids = sorted({r.source.id for r in readings})
            result.changelog = [f"- Observations recomputed from the releases of {', '.join(ids)}."]
    ordered = sorted(
        releases.values(), key=lambda r: (r["source_id"], fields.period_sort_key(r["period"]))
    )
    new_rel = _csv_text(rel_header, ordered)
    if new_rel != (DATA / catalog.RELEASES).read_text(encoding="utf-8"):
        result.writes[catalog.RELEASES] = new_rel.encode("utf-8")
    if result.changelog:
        changelog = (DATA / "CHANGELOG.md").read_text(encoding="utf-8")
        result.writes["CHANGELOG.md"] = with_draft(changelog, result.changelog).encode("utf-8")
    return result


def with_draft(changelog: str, lines: list[str], today: date | None = None) -> str:
    """The changelog with ``lines`` under today's release: appended to the newest release when
    it is dated today, else under a new minor release dated today (new figures are a minor
    change), above the newest. The new release becomes the data version."""
    today = today or date.today()
    rows = changelog.splitlines()
    first = next((i for i, r in enumerate(rows) if r.startswith("## ")), len(rows))
    newest = HEADING.match(rows[first]) if first < len(rows) else None
    if newest is None or newest.group(4) != today.isoformat():
        major, minor = (int(newest.group(1)), int(newest.group(2))) if newest else (1, -1)
        rows[first:first] = [f"## {major}.{minor + 1}.0 ({today.isoformat()})", "", ""]
    start = first + 1
    end = next((i for i in range(start, len(rows)) if rows[i].startswith("## ")), len(rows))
    while end > start + 1 and not rows[end - 1].strip():
        end -= 1
    rows[end:end] = lines
    if end + len(lines) < len(rows) and rows[end + len(lines)].strip():
        rows.insert(end + len(lines), "")
    return "\n".join(rows) + "\n"


def _apply(writes: dict[str, bytes], data: Path) -> None:
    for rel, content in writes.items():
        path = data / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(content)
        os.replace(partial, path)


def validate_staged(writes: dict[str, bytes]) -> list[str]:
    """``mhwkb validate`` run on a temporary copy of the project with ``writes`` applied."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        skip = shutil.ignore_patterns("__pycache__")
        shutil.copytree(Path(__file__).parent, root / "mhwkb", ignore=skip)
        shutil.copytree(DATA, root / "data", ignore=skip)
        (root / "chapters").symlink_to(CHAPTERS)  # the validator reads only chapter names
        kept.copy_to(root)
        _apply(writes, root / "data")
        env = {**os.environ, "PYTHONPATH": str(root)}
        result = subprocess.run(
            [sys.executable, "-m", "mhwkb", "validate"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if result.returncode == 0:
        return []
    return result.stdout.splitlines() or [result.stderr.strip()]


def run(targets: list[str], source_id: str | None = None, today: date | None = None) -> int:
    """Import every release file the targets name; write nothing unless all of it is valid."""
    sources, clusters, problems = _registry()
    if source_id and source_id not in {src.id for src in sources}:
        problems.append(Problem("data/sources.yaml", 1, "id", f"no source '{source_id}'"))
    readings, notices = [], []
    for target in [] if problems else targets:
        files, in_folder, bad = acquire(target)
        problems += bad
        if not files and not bad:
            problems.append(Problem(target, 1, "(file)", "the folder has no CSV or Excel file"))
        for file in files:
            src = next(x for x in sources if x.id == source_id) if source_id else None
            src = src or choose_source(file, sources)
            if src is None:
                message = "its columns match no source in data/sources.yaml"
                if in_folder:
                    notices.append(f"{file.name}: skipped: {message}")
                    continue
                problems.append(Problem(file.name, 1, "(header)", message + "; use --source ID"))
                continue
            reading, bad = read(file, src, clusters)
            problems += bad
            if reading:
                readings.append(reading)
    seen: dict[tuple, Reading] = {}
    for r in readings:
        other = seen.setdefault((r.source.id, r.period), r)
        if other.sha256 != r.sha256:
            problems.append(
                Problem(
                    r.file.name,
                    1,
                    "(file)",
                    f"{other.file.name} is also a {period_label(r.period)} release of "
                    f"{r.source.title}; import one of them",
                )
            )
    for notice in notices:
        print(notice, file=sys.stderr)
    if problems:
        return _refuse([str(p) for p in sorted(set(problems))])
    if not readings:
        return _refuse(["no release file to import"])
    result = plan(readings, today or date.today())
    for line in result.report:
        print(line)
    if not result.writes:
        print("Nothing to change: the data already hold these releases.")
        return 0
    invalid = validate_staged(result.writes)
    if invalid:
        return _refuse([f"would-be {line}" for line in invalid])
    _apply(result.writes, DATA)
    print("Wrote " + ", ".join(relative(DATA / rel) for rel in sorted(result.writes)) + ".")
    print(f"Drafted under today's release in {relative(DATA / 'CHANGELOG.md')}:")
    for line in result.changelog:
        print(f"  {line}")
    print("Next: `make book` to see it on the site, then commit data/ and the refreshed chapters.")
    return 0


def _refuse(lines: list[str]) -> int:
    for line in lines:
        print(line)
    print(f"{len(lines)} problem(s) found; nothing was written", file=sys.stderr)
    return 1
