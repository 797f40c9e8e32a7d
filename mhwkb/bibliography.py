"""Read ``data/references.bib``: its citation keys, each entry's line, and every problem.

Each entry is checked on its own first (braces that balance, a usable key, a title, a web
address that is http or https), so a slip is reported at the entry that has it rather than
wherever a BibTeX parser notices it; pybtex then reads the whole file.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

import pybtex.plugin
from pybtex.database import parse_string
from pybtex.exceptions import PybtexError

from mhwkb.fileio import DataFile, read_text
from mhwkb.problems import DataError, Problem

ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t]*([^,\n]*?)[ \t]*(?=,|\n|$)", re.MULTILINE)
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$")
SPECIAL = {"comment", "string", "preamble"}
DOI = re.compile(r"^10\.\d{4,9}/\S+$")


@cache
def _entry_points(**selection) -> metadata.EntryPoints:
    return metadata.entry_points(**selection)


def look_up_plugins_once() -> None:
    """Make pybtex find its plugins once per process.

    pybtex looks a plugin up in every installed package's metadata each time it is asked for
    one, and sphinxcontrib-bibtex asks once per citation it resolves: a scan of every
    distribution per citation (about 20 ms each, seconds per build). The installed packages do
    not change while a build runs, so the answer is kept.
    """
    pybtex.plugin.entry_points = _entry_points


@dataclass
class Bibliography:
    """Citation keys with the line of their entry; ``readable`` is false when the keys are unknown."""

    keys: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True


def anchor(key: str) -> str:
    """The part of a key that survives in its link anchor (see ``mhwkb.html.cite_anchor``)."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def _braces(chunk: str) -> tuple[int, int]:
    """Check an entry's braces: (problem, offset) with problem 0 when they balance, 1 when a
    { is never closed, -1 when a } closes the entry early or closes nothing."""
    depth = 0
    for i, char in enumerate(chunk):
        if char in "{}" and i and chunk[i - 1] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return -1, i
            if depth == 0:  # the entry ends here: only comments and blank lines may follow
                rest = re.sub(r"(?m)^\s*%.*$", "", chunk[i + 1 :])
                return (0, -1) if not rest.strip() else (-1, i)
    return (1, 0) if depth > 0 else (0, -1)


def _field_line(chunk: str, start_line: int, name: str) -> int:
    m = re.search(rf"^\s*{name}\s*=", chunk, re.MULTILINE | re.IGNORECASE)
    return start_line + chunk.count("\n", 0, m.start()) if m else start_line


def read(source: DataFile | Path) -> Bibliography:
    file = source if isinstance(source, DataFile) else DataFile.read(source)
    look_up_plugins_once()
    try:
        text, notes = read_text(file)
    except DataError as err:
        return Bibliography(problems=err.problems, readable=False)
    bib = Bibliography(problems=list(notes))
    starts = list(ENTRY.finditer(text))
    anchors: dict[str, str] = {}
    chunks: dict[str, str] = {}
    for n, m in enumerate(starts):
        kind, key = m.group(1).lower(), m.group(2)
        line = text.count("\n", 0, m.start()) + 1
        end = starts[n + 1].start() if n + 1 < len(starts) else len(text)
        chunk = text[m.start() : end]
        unbalanced, at = _braces(chunk)
        label = key or "(entry)"
        if unbalanced > 0:
            following = f" (the next entry starts on line {line + chunk.count(chr(10))})"
            bib.problems.append(
                file.problem(
                    line,
                    label,
                    "a { in this entry is never closed"
                    + (following if n + 1 < len(starts) else "")
                    + "; close every field value and the entry itself",
                )
            )
        elif unbalanced < 0:
            bib.problems.append(
                file.problem(
                    line + chunk.count("\n", 0, at),
                    label,
                    "a } here closes the entry before its end (or closes nothing): "
                    "check this entry's braces",
                )
            )
        if kind in SPECIAL:
            continue
        if not KEY.match(key):
            bib.problems.append(
                file.problem(
                    line,
                    label,
                    "an entry needs a citation key without spaces, such as nhsdigital2018, "
                    "followed by a comma",
                )
            )
            continue
        if key in bib.keys:
            bib.problems.append(
                file.problem(line, key, f"duplicate citation key: already on line {bib.keys[key]}")
            )
            continue
        if anchor(key) in anchors:
            other = anchors[anchor(key)]
            bib.problems.append(
                file.problem(
                    line,
                    key,
                    f"too like the key '{other}' (line {bib.keys[other]}): both would link to "
                    "the same place on the references page; choose another key",
                )
            )
        bib.keys[key] = line
        anchors[anchor(key)] = key
        chunks[key] = chunk
    if not starts:
        bib.problems.append(file.problem(1, "(file)", "the bibliography has no entries"))
        bib.readable = False  # every source would be unknown: one message is enough
    if len(bib.problems) > len(notes):
        return bib
    try:
        entries = parse_string(text, "bibtex").entries
    except PybtexError as err:
        bib.problems.append(
            file.problem(getattr(err, "lineno", None) or 1, "(syntax)", f"not valid BibTeX: {err}")
        )
        return bib
    for key, entry in entries.items():
        line, chunk = bib.keys.get(key, 1), chunks.get(key, "")
        if not entry.fields.get("title", "").strip():
            bib.problems.append(file.problem(line, key, "the entry needs a title"))
        url = entry.fields.get("url", "").strip()
        if url and not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
            bib.problems.append(
                file.problem(
                    _field_line(chunk, line, "url"),
                    f"{key}.url",
                    "a web address must start with http:// or https://",
                )
            )
        doi = entry.fields.get("doi", "").strip()
        if doi and not DOI.match(doi):
            bib.problems.append(
                file.problem(
                    _field_line(chunk, line, "doi"),
                    f"{key}.doi",
                    "a DOI looks like 10.1234/abcd (without https://doi.org/)",
                )
            )
    return bib
