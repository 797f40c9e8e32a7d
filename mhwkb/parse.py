"""Turn data files into validated models, collecting every problem with its file and line."""

import difflib
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from mhwkb.fileio import DataFile, line_of, load_csv, load_yaml
from mhwkb.problems import DataError, Problem
from mhwkb.schemas import SLUG


@dataclass(frozen=True)
class Item:
    """A validated record and how to find the line of any of its fields."""

    record: BaseModel
    path: str  # as shown to people: data/observations.csv
    locate: Callable[..., int]
    raw: dict | None = None  # a CSV row's cells as typed (a value keeps its printed decimals)

    def problem(self, *loc, message: str) -> Problem:
        return Problem(self.path, self.locate(*loc), field_path(loc), message)


@dataclass(eq=False)
class Records:
    """A data file's records that validated, its problems, and what could not be validated.

    ``failed`` holds the ids of records that failed their schema and ``unreadable`` is true
    when the file could not be read at all (or a failed record's id is unknown): other files'
    links to them are not reported again, so one mistake gives one message.
    """

    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: set = field(default_factory=set)
    unreadable: bool = False

    def checked(self) -> list[Item]:
        """The items, or ``DataError`` with every problem (for loaders that need clean data)."""
        if self.problems:
            raise DataError(self.problems)
        return self.items


def field_path(loc: tuple) -> str:
    """A location as a contributor reads it: ``printed[0].value``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(record)"


@cache
def _field_names(model: type[BaseModel]) -> frozenset[str]:
    """Every field name of a model and the models nested in it."""
    names = set(model.model_fields)
    for info in model.model_fields.values():
        stack = [info.annotation]
        while stack:
            ann = stack.pop()
            if isinstance(ann, type) and issubclass(ann, BaseModel):
                names |= _field_names(ann)
            stack += typing.get_args(ann)
    return frozenset(names)


def _problems(err: ValidationError, path: str, line_for, model: type[BaseModel]) -> list[Problem]:
    errors = err.errors()
    missing: dict[tuple, set] = {}
    for e in errors:
        if e["type"] == "missing":
            missing.setdefault(tuple(e["loc"][:-1]), set()).add(e["loc"][-1])
    suggested: dict[tuple, str] = {}  # unknown field -> the field it looks like a misspelling of
    for e in errors:
        if e["type"] == "extra_forbidden":
            loc = tuple(e["loc"])
            here = sorted(missing.get(loc[:-1], set()))
            like = difflib.get_close_matches(str(loc[-1]), here, n=1, cutoff=0.6) or (
                difflib.get_close_matches(str(loc[-1]), sorted(_field_names(model)), n=1)
            )
            if like:
                suggested[loc] = like[0]
    explained = {loc[:-1] + (name,) for loc, name in suggested.items()}
    out = []
    for e in errors:
        loc = tuple(e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown field" + (
                f"; did you mean '{suggested[loc]}'?" if loc in suggested else ""
            )
            msg += " (the fields are listed in data/DICTIONARY.md)"
        elif e["type"] == "missing":
            if loc in explained:
                continue
            msg = "required field is missing"
        elif e["type"] == "string_too_short" and e.get("input") == "":
            msg = "must not be blank"
        elif e["type"] == "string_pattern_mismatch" and e.get("ctx", {}).get("pattern") == SLUG:
            msg = "an id is lower case letters, digits and _, starting with a letter"
        elif not isinstance(e.get("input"), (dict, list)) and e.get("input") not in ("", None):
            shown = repr(e["input"])
            msg = f"{msg} (got {shown if len(shown) <= 60 else shown[:57] + '...'})"
        out.append(Problem(path, line_for(loc), field_path(loc), msg))
    return out


def yaml_records(source: DataFile | Path, model: type[BaseModel]) -> Records:
    """A YAML file holding a list of records; each record is checked against ``model``."""
    file = source if isinstance(source, DataFile) else DataFile.read(source)
    try:
        data, lines, notes = load_yaml(file)
    except DataError as err:
        return Records(problems=err.problems, unreadable=True)
    if not isinstance(data, list):
        return Records(
            problems=notes
            + [file.problem(1, "(file)", "expected a list of records, each starting with '- '")],
            unreadable=True,
        )
    out = Records(problems=notes)
    indexed = []
    for i, raw in enumerate(data):
        try:
            indexed.append((i, model.model_validate(raw)))
        except ValidationError as err:
            out.problems += _problems(
                err, file.name, lambda loc, i=i: line_of(lines, (i,) + loc), model
            )
            if isinstance(raw, dict) and isinstance(raw.get("id"), (str, int)):
                out.failed.add(str(raw["id"]).strip())
            else:  # a record without a readable id: any id of this file may be the one it had
                out.unreadable = True
    ids = [(getattr(r, "id", None), line_of(lines, (i, "id"))) for i, r in indexed]
    out.problems += _duplicates(ids, file, "id")
    out.items = [
        Item(r, file.name, lambda *loc, i=i: line_of(lines, (i, *loc))) for i, r in indexed
    ]
    return out


def csv_records(
    source: DataFile | Path, model: type[BaseModel], columns: list[str], key
) -> Records:
    """A CSV file's rows as items located at their line; ``key(model)`` must be unique."""
    file = source if isinstance(source, DataFile) else DataFile.read(source)
    try:
        rows, problems = load_csv(file, columns)
    except DataError as err:
        return Records(problems=err.problems, unreadable=True)
    out = Records(problems=problems)
    records = []
    for line, cells in rows:
        try:
            records.append((line, model.model_validate(cells)))
        except ValidationError as err:
            out.problems += _problems(err, file.name, lambda loc, line=line: line, model)
            if cells.get("id"):
                out.failed.add(cells["id"])
    out.problems += _duplicates([(key(r), line) for line, r in records], file, "(row)")
    cells_at = dict(rows)
    out.items = [
        Item(r, file.name, lambda *loc, line=line: line, cells_at.get(line)) for line, r in records
    ]
    return out


def _duplicates(keyed: list[tuple[object, int]], file: DataFile, field: str) -> list[Problem]:
    seen: dict[object, int] = {}
    out = []
    for k, line in keyed:
        if k is None:
            continue
        if k in seen:
            shown = k if not isinstance(k, tuple) else ", ".join(str(p) for p in k if p != "")
            out.append(
                file.problem(line, field, f"duplicate: {shown} is already on line {seen[k]}")
            )
        else:
            seen[k] = line
    return out
