"""Turn data files into validated models, collecting every problem with its file and line."""

import difflib
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ValidationError

from mhwkb.fields import PLACED, SLUG
from mhwkb.fileio import DataFile, line_of, load_csv, load_yaml
from mhwkb.problems import DataError, Problem


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


def _inner(ann):
    """A type without its ``Annotated`` metadata and its ``None`` option (``View | None``: View)."""
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif origin in (typing.Union, types.UnionType):
            ann = next(a for a in typing.get_args(ann) if a is not type(None))
        else:
            return ann


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model of the part of a record at ``loc``: ``("status", 1, "views", 0)`` is a View."""
    ann = model
    for part in loc:
        ann = _inner(ann)
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            if part not in ann.model_fields:
                return None
            ann = ann.model_fields[part].annotation
        elif typing.get_origin(ann) in (list, dict):  # an entry of a list, a value of a mapping
            ann = typing.get_args(ann)[-1]
        else:
            return None
    ann = _inner(ann)
    return ann if isinstance(ann, type) and issubclass(ann, BaseModel) else None


def _taken_for(errors: list[dict], model: type[BaseModel]) -> dict[tuple, str]:
    """Each unknown field (by location) and the field it was most likely meant to be: the one
    required field missing beside it, else the closest missing one, else the closest field of
    the same part of the record. A misspelt required field is then one mistake, not two."""
    unknown: dict[tuple, list] = {}
    missing: dict[tuple, list] = {}
    for e in errors:
        found = {"extra_forbidden": unknown, "missing": missing}.get(e["type"])
        if found is not None:
            found.setdefault(tuple(e["loc"][:-1]), []).append(e["loc"][-1])
    out = {}
    for at, names in unknown.items():
        left = missing.get(at, [])
        part = _model_at(model, at)
        fields = sorted(part.model_fields) if part else []
        for name in names:
            like = (
                left
                if len(names) == len(left) == 1
                else difflib.get_close_matches(str(name), left, n=1)
                or difflib.get_close_matches(str(name), fields, n=1)
            )
            if like:
                out[(*at, name)] = like[0]
    return out


def _problems(err: ValidationError, path: str, line_for, model: type[BaseModel]) -> list[Problem]:
    errors = err.errors()
    taken = _taken_for(errors, model)
    explained = {(*loc[:-1], name) for loc, name in taken.items()}
    out = []
    for e in errors:
        loc = tuple(e["loc"])
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == PLACED:  # problems a validator placed inside the value it checks
            out += [
                Problem(path, line_for((*loc, *at)), field_path((*loc, *at)), why)
                for at, why in e["ctx"]["problems"]
            ]
            continue
        if e["type"] == "extra_forbidden":
            hint = f"; did you mean '{taken[loc]}'?" if loc in taken else ""
            msg = f"unknown field '{loc[-1]}'{hint} (the fields are listed in data/DICTIONARY.md)"
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
