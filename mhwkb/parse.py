"""Turn data files into validated models, collecting every problem with its file and line."""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from mhwkb.fileio import line_of, load_csv, load_yaml
from mhwkb.paths import relative
from mhwkb.problems import DataError, Problem


@dataclass(frozen=True)
class Item:
    """A validated record and how to find the line of any of its fields."""

    record: BaseModel
    path: Path
    locate: Callable[..., int]

    def problem(self, *loc, message: str) -> Problem:
        return Problem(relative(self.path), self.locate(*loc), field_path(loc), message)


def field_path(loc: tuple) -> str:
    """A location as a contributor reads it: ``printed[0].value``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(record)"


def _problems(err: ValidationError, path: Path, line_for) -> list[Problem]:
    out = []
    for e in err.errors():
        loc = tuple(e["loc"])
        field = field_path(loc)
        msg = e["msg"].removeprefix("Value error, ")
        if e["type"] == "extra_forbidden":
            msg = "unknown field (check its spelling against data/README.md)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        elif not isinstance(e.get("input"), (dict, list)) and "input" in e:
            msg = f"{msg} (got {e['input']!r})"
        out.append(Problem(relative(path), line_for(loc), field, msg))
    return out


def yaml_records(path: Path, model: type[BaseModel]) -> tuple[list[Item], list[Problem]]:
    """A YAML file holding a list of records; each record is checked against ``model``."""
    try:
        data, lines = load_yaml(path)
    except DataError as err:
        return [], err.problems
    if not isinstance(data, list):
        return [], [
            Problem(
                relative(path), 1, "(file)", "expected a list of records, each starting with '- '"
            )
        ]
    indexed, problems = [], []
    for i, item in enumerate(data):
        try:
            indexed.append((i, model.model_validate(item)))
        except ValidationError as err:
            problems += _problems(err, path, lambda loc, i=i: line_of(lines, (i,) + loc))
    ids = [(getattr(r, "id", None), line_of(lines, (i, "id"))) for i, r in indexed]
    problems += _duplicates(ids, path, "id")
    items = [Item(r, path, lambda *loc, i=i: line_of(lines, (i, *loc))) for i, r in indexed]
    return items, problems


def csv_records(
    path: Path, model: type[BaseModel], columns: list[str], key
) -> tuple[list[Item], list[Problem]]:
    """A CSV file's rows as items located at their line; ``key(model)`` must be unique."""
    try:
        rows = load_csv(path, columns)
    except DataError as err:
        return [], err.problems
    records, problems = [], []
    for line, cells in rows:
        try:
            records.append((line, model.model_validate(cells)))
        except ValidationError as err:
            problems += _problems(err, path, lambda loc, line=line: line)
    problems += _duplicates([(key(r), line) for line, r in records], path, "(row)")
    return [Item(r, path, lambda *loc, line=line: line) for line, r in records], problems


def _duplicates(keyed: list[tuple[object, int]], path: Path, field: str) -> list[Problem]:
    seen: dict[object, int] = {}
    out = []
    for k, line in keyed:
        if k is None:
            continue
        if k in seen:
            shown = k if not isinstance(k, tuple) else ", ".join(str(p) for p in k if p != "")
            out.append(
                Problem(
                    relative(path), line, field, f"duplicate: {shown} is already on line {seen[k]}"
                )
            )
        else:
            seen[k] = line
    return out
