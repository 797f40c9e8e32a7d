"""Read ``data/CHANGELOG.md``: its releases, newest first, and every problem with it.

Each release is a heading ``## X.Y.Z (YYYY-MM-DD)`` followed by its changes. The newest
release is the data version shown on the site, in "how to cite" and in datapackage.json.
"""

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mhwkb.fileio import DataFile, read_text
from mhwkb.problems import DataError, Problem

HEADING = re.compile(r"^## (\d+)\.(\d+)\.(\d+) \((\d{4}-\d{2}-\d{2})\)\s*$")
EXAMPLE = "## 1.1.0 (2026-11-24)"


@dataclass(frozen=True)
class Release:
    version: str
    date: date
    line: int
    changes: str

    @property
    def number(self) -> tuple[int, int, int]:
        major, minor, patch = self.version.split(".")
        return int(major), int(minor), int(patch)


def read_changelog(source: DataFile | Path) -> tuple[list[Release], list[Problem]]:
    """The releases, newest first, and every problem (an empty list of releases when unreadable)."""
    file = source if isinstance(source, DataFile) else DataFile.read(source)
    try:
        text, problems = read_text(file)
    except DataError as err:
        return [], err.problems
    releases: list[Release] = []
    heading: tuple | None = None  # (version, date, line) of the release being read
    changes: list[str] = []
    any_heading = False

    def close() -> None:
        if heading is None:
            return
        version, day, line = heading
        if not "".join(changes).strip():
            problems.append(file.problem(line, version, "this release lists no changes"))
        releases.append(Release(version, day, line, "\n".join(changes).strip()))

    for n, text_line in enumerate(text.splitlines(), start=1):
        if text_line.startswith("## "):
            close()
            heading, changes, any_heading = None, [], True
            m = HEADING.match(text_line)
            if not m:
                problems.append(
                    file.problem(
                        n,
                        "(heading)",
                        f"a release heading is written '## X.Y.Z (YYYY-MM-DD)', such as "
                        f"'{EXAMPLE}' (got '{text_line.strip()}')",
                    )
                )
                continue
            version = ".".join(m.group(i) for i in (1, 2, 3))
            try:
                day = date.fromisoformat(m.group(4))
            except ValueError:
                problems.append(
                    file.problem(n, version, f"'{m.group(4)}' is not a date in the calendar")
                )
                continue
            if day > date.today():
                problems.append(file.problem(n, version, f"{day} is in the future"))
            heading = (version, day, n)
        elif heading is not None:
            changes.append(text_line)
        elif not any_heading and re.match(r"^\s*([-*+]|\d+\.)\s", text_line):
            problems.append(
                file.problem(
                    n,
                    "(release)",
                    f"a change must be listed under a release heading such as '{EXAMPLE}'",
                )
            )
    close()
    if not releases and not problems:
        problems.append(
            file.problem(1, "(heading)", f"no release heading such as '{EXAMPLE}' was found")
        )
    for newer, older in zip(releases, releases[1:], strict=False):
        if older.number >= newer.number:
            problems.append(
                file.problem(
                    older.line,
                    older.version,
                    f"releases are listed newest first: {older.version} is below {newer.version}"
                    if older.number != newer.number
                    else f"version {older.version} is listed twice",
                )
            )
        elif older.date > newer.date:
            problems.append(
                file.problem(
                    newer.line,
                    newer.version,
                    f"dated {newer.date}, before the release below it ({older.version}, {older.date})",
                )
            )
    return releases, problems
