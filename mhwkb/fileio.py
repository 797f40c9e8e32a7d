"""Read YAML and CSV data files strictly, keeping the line number of every value.

Nothing here writes a file. A file that cannot be read (missing, too large, not UTF-8, a
control character, bad YAML or CSV syntax, a duplicate key) raises ``DataError`` with its
path and line. YAML is read safely: no tags, aliases expanded only up to a limit, nesting
only so deep, dates kept as text for the schemas to check.
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from mhwkb.paths import relative
from mhwkb.problems import DataError, Problem

Loc = tuple  # a path into a loaded document: keys and list indices

MAX_BYTES = 2_000_000  # the largest data file is about 20 KB
MAX_DEPTH = 20  # records nest four or five levels deep
MAX_VALUES = 100_000  # values in a YAML file once its aliases are expanded
BOM = b"\xef\xbb\xbf"
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class DataFile:
    """A data file's bytes (``None`` when it does not exist) and its name as shown to people."""

    name: str
    raw: bytes | None

    @classmethod
    def read(cls, path: Path, name: str | None = None) -> "DataFile":
        """A file as it is on disk; only regular files, and never more than is needed to refuse it."""
        path = Path(path)
        if not path.is_file():
            return cls(name or relative(path), None)
        with open(path, "rb") as f:
            return cls(name or relative(path), f.read(MAX_BYTES + 1))

    def problem(self, line: int, field: str, message: str) -> Problem:
        return Problem(self.name, line, field, message)


def _file(source: "DataFile | Path") -> DataFile:
    return source if isinstance(source, DataFile) else DataFile.read(source)


def read_text(source: "DataFile | Path") -> tuple[str, list[Problem]]:
    """The file's text and any problem that does not stop it being read (a byte-order mark).

    Raises ``DataError`` when the file is missing, too large, not UTF-8 or holds a control
    character.
    """
    file = _file(source)
    if file.raw is None:
        raise DataError(
            [file.problem(1, "(file)", "the file is missing; was it renamed or moved?")]
        )
    raw, notes = file.raw, []
    if len(raw) > MAX_BYTES:
        raise DataError(
            [
                file.problem(
                    1,
                    "(file)",
                    f"the file is {len(raw):,} bytes; a data file may hold at most "
                    f"{MAX_BYTES:,}: split it or check that it is the right file",
                )
            ]
        )
    if raw.startswith(BOM):
        notes.append(
            file.problem(
                1,
                "(encoding)",
                "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM",
            )
        )
        raw = raw[len(BOM) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            [file.problem(line, "(encoding)", "the file is not valid UTF-8; save it as UTF-8")]
        ) from None
    found = CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise DataError(
            [
                file.problem(
                    line,
                    "(encoding)",
                    f"invisible control character U+{ord(found.group()):04X} in the text; "
                    "delete it (it may have been pasted in)",
                )
            ]
        )
    return text, notes


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader without implicit dates, merge keys or value keys, and with only
    ``true`` and ``false`` as booleans (as in YAML 1.2): ``no`` or ``2017-09-01`` stay text."""

    yaml_implicit_resolvers = {
        first: [
            (tag, regexp)
            for tag, regexp in resolvers
            if tag.rsplit(":", 1)[-1] not in {"timestamp", "merge", "value", "bool"}
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _check_events(text: str, name: str) -> None:
    """Refuse tags, aliases that expand too far or loop, and deep nesting, before composing."""

    def refuse(event, message: str) -> None:
        raise DataError([Problem(name, event.start_mark.line + 1, "(syntax)", message)])

    anchors: dict[str, int] = {}  # anchor -> values it expands to
    open_: list[list] = [[None, 0]]  # [anchor, values so far] of each open collection
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, (yaml.CollectionStartEvent, yaml.ScalarEvent)) and event.tag:
            refuse(
                event,
                f"YAML tags such as {event.tag.replace('tag:yaml.org,2002:', '!!')} are not "
                "allowed in data files; write a plain value",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_) > MAX_DEPTH:
                refuse(event, f"nested more than {MAX_DEPTH} levels deep; records are flatter")
            open_.append([event.anchor, 1])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_.pop()
            open_[-1][1] += size
            if anchor:
                anchors[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            open_[-1][1] += 1
            if event.anchor:
                anchors[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                inside = any(a == event.anchor for a, _ in open_)
                refuse(
                    event,
                    f"the alias *{event.anchor} "
                    + ("refers to the collection it is inside" if inside else "has no anchor"),
                )
            open_[-1][1] += anchors[event.anchor]
        if open_[0][1] > MAX_VALUES or (len(open_) > 1 and open_[-1][1] > MAX_VALUES):
            refuse(
                event,
                f"aliases expand this file to more than {MAX_VALUES:,} values; "
                "write the values out instead",
            )


def load_yaml(source: "DataFile | Path") -> tuple[object, dict[Loc, int], list[Problem]]:
    """Parse a YAML file into plain values, a map from each value's location to its line, and
    any problem that did not stop the reading (see ``read_text``)."""
    file = _file(source)
    text, notes = read_text(file)
    loader = None
    try:
        _check_events(text, file.name)
        loader = _Loader(text)
        node = loader.get_single_node()
        lines: dict[Loc, int] = {}
        value = _build(loader, node, (), lines, file) if node is not None else None
    except yaml.MarkedYAMLError as err:
        # An unclosed bracket or quote is reported where it opens, not where the parser gave up.
        found = err.problem_mark
        opened = any(w in (err.context or "") for w in ("flow", "quoted"))
        start = err.context_mark if opened or not found else None
        mark = start or found
        line = mark.line + 1 if mark else 1
        message = f"not valid YAML: {err.problem}"
        if start and found and found.line != start.line:
            message += f" (on line {found.line + 1}, {err.context} started here)"
        raise DataError(notes + [file.problem(line, "(syntax)", message)]) from None
    except yaml.YAMLError as err:
        raise DataError(notes + [file.problem(1, "(syntax)", f"not valid YAML: {err}")]) from None
    except DataError as err:
        raise DataError(notes + err.problems) from None
    finally:
        if loader is not None:
            loader.dispose()
    return value, lines, notes


def _scalar(loader, node, file: DataFile):
    line = node.start_mark.line + 1
    try:
        value = loader.construct_object(node, deep=True)
    except (ValueError, OverflowError) as err:
        raise DataError(
            [file.problem(line, "(syntax)", f"cannot read this value: {err}")]
        ) from None
    found = CONTROL.search(value) if isinstance(value, str) else None
    if found:
        raise DataError(
            [
                file.problem(
                    line,
                    "(syntax)",
                    f"invisible control character U+{ord(found.group()):04X} in this value; "
                    "delete it",
                )
            ]
        )
    return value


def _build(loader, node, loc: Loc, lines: dict, file: DataFile):
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                raise DataError([file.problem(line, "(syntax)", "a key must be a plain name")])
            key = _scalar(loader, key_node, file)
            if key in out:
                raise DataError(
                    [file.problem(line, str(key), "duplicate key: it is already set above")]
                )
            lines[loc + (key, "[key]")] = line  # where pydantic reports a bad key
            out[key] = _build(loader, value_node, loc + (key,), lines, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, loc + (i,), lines, file) for i, item in enumerate(node.value)]
    return _scalar(loader, node, file)


def line_of(lines: dict[Loc, int], loc: Loc) -> int:
    """The line of the deepest known location that ``loc`` starts with."""
    loc = tuple(loc)
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def _csv_error(err: csv.Error, spans: bool = False) -> str:
    """What a CSV syntax error means to a contributor; ``spans``: the row ran past its line."""
    text = str(err)
    if spans and "expected after" in text:
        return (
            "a double quote opened on this line is never closed on it, so the row ran into "
            "the next lines; close the quote or delete it"
        )
    if "unexpected end of data" in text:
        return (
            "a double quote opened on this line is never closed, so the rest of the file "
            "ran into one value; close the quote or delete it"
        )
    if "expected after" in text:
        return (
            "a double quote in the middle of a value: quote the whole value and double "
            'the quote inside it ("a ""quoted"" word")'
        )
    return f"not valid CSV: {text}"


def load_csv(
    source: "DataFile | Path", columns: list[str]
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Rows of a CSV file as ``(line, {column: text})`` and the problems of rows left out.

    The header must name exactly ``columns``; ``DataError`` is raised when it does not or the
    file cannot be read.
    """
    file = _file(source)
    text, problems = read_text(file)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError(
            problems + [file.problem(1, "(header)", "the file is empty; it needs a header row")]
        ) from None
    except csv.Error as err:
        raise DataError(problems + [file.problem(1, "(header)", _csv_error(err))]) from None
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    if missing or unknown or len(set(header)) != len(header):
        said = []
        if unknown:
            said.append(f"unknown column(s) {', '.join(repr(c) for c in unknown)}")
        if missing:
            said.append(f"missing column(s) {', '.join(missing)}")
        if not said:
            said.append("a column name appears twice")
        problems.append(
            file.problem(1, "(header)", f"{'; '.join(said)}; expected {','.join(columns)}")
        )
        raise DataError(problems)
    rows = []
    end = reader.line_num
    while True:
        start = end + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problems.append(file.problem(start, "(row)", _csv_error(err, reader.line_num > start)))
            end = reader.line_num
            continue
        end = reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        if end > start:
            problems.append(
                file.problem(
                    start,
                    "(row)",
                    f"this row runs on to line {end}: a value holds a line break, "
                    "probably from a double quote that is not closed",
                )
            )
            continue
        if len(cells) != len(header):
            problems.append(
                file.problem(
                    start,
                    "(row)",
                    f"has {len(cells)} cells but the header has {len(header)}; "
                    "a value containing a comma must be in double quotes",
                )
            )
            continue
        rows.append((start, {h: c.strip() for h, c in zip(header, cells, strict=True)}))
    return rows, problems
