"""Read YAML and CSV data files strictly, keeping the line number of every value.

Nothing here writes a file. Syntax problems (bad YAML, a duplicate key, bytes that are not
UTF-8, a CSV row with too many cells) are raised as ``DataError`` with the file and line.
"""

import csv
import io
from pathlib import Path

import yaml

from mhwkb.paths import relative
from mhwkb.problems import DataError, Problem

Loc = tuple  # a path into a loaded document: keys and list indices


def read_text(path: Path) -> str:
    """The file's text, or a DataError naming the line of the first byte that is not UTF-8."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            [
                Problem(
                    relative(path),
                    line,
                    "(encoding)",
                    "the file is not valid UTF-8; save it as UTF-8",
                )
            ]
        ) from None


def load_yaml(path: Path) -> tuple[object, dict[Loc, int]]:
    """Parse a YAML file into plain Python values and a map from each value's location to its line."""
    text = read_text(path)
    name = relative(path)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        value = _build(loader, node, (), lines, name) if node is not None else None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise DataError(
            [Problem(name, line, "(syntax)", f"not valid YAML: {err.problem}")]
        ) from None
    finally:
        loader.dispose()
    return value, lines


def _build(loader, node, loc: Loc, lines: dict, name: str):
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in out:
                raise DataError(
                    [
                        Problem(
                            name,
                            key_node.start_mark.line + 1,
                            str(key),
                            "duplicate key: it is already set above",
                        )
                    ]
                )
            out[key] = _build(loader, value_node, loc + (key,), lines, name)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, loc + (i,), lines, name) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of the deepest known location that ``loc`` starts with."""
    loc = tuple(loc)
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def load_csv(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV file as ``(line, {column: text})``; the header must name exactly ``columns``."""
    text = read_text(path)
    name = relative(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(
            [Problem(name, 1, "(header)", "the file is empty; it needs a header row")]
        ) from None
    problems = []
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing:
        problems.append(Problem(name, 1, "(header)", f"missing column(s): {', '.join(missing)}"))
    if unknown:
        problems.append(
            Problem(
                name,
                1,
                "(header)",
                f"unknown column(s): {', '.join(unknown)}; expected {', '.join(columns)}",
            )
        )
    if len(set(header)) != len(header):
        problems.append(Problem(name, 1, "(header)", "a column name appears twice"))
    if problems:
        raise DataError(problems)
    rows = []
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        name,
                        line,
                        "(row)",
                        f"has {len(cells)} cells but the header has {len(header)}; "
                        "a value containing a comma must be in double quotes",
                    )
                )
                continue
            rows.append((line, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    except csv.Error as err:
        problems.append(Problem(name, reader.line_num, "(row)", f"not valid CSV: {err}"))
    if problems:
        raise DataError(problems)
    return rows
