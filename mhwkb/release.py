"""Read one official release file against its source in ``data/sources.yaml``: check its
bytes, columns, types and month, and derive the observations it gives.

Every problem is a ``Problem`` naming the file, the line and the column; nothing here writes.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import unquote, urlsplit

from mhwkb.problems import Problem
from mhwkb.sources import KnownRelease, Source, sha256

BOM = b"\xef\xbb\xbf"
HUMAN_DATE = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%y": "YY"}


@dataclass(frozen=True)
class ReleaseFile:
    """A file to import: its name as shown in messages (a path or a URL), bytes and address."""

    name: str
    data: bytes
    address: str = ""

    @property
    def basename(self) -> str:
        """The file's own name: the last part of its path, or of its address decoded."""
        if self.address:
            return unquote(urlsplit(self.address).path.rsplit("/", 1)[-1])
        return self.name.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Reading:
    """A release file that passed every check, and the observations it gives."""

    file: ReleaseFile
    source: Source
    period: str
    sha256: str
    known: KnownRelease | None
    observations: list[dict[str, str]]


def choose_source(file: ReleaseFile, sources: list[Source]) -> Source | None:
    """The source a file belongs to: by a known checksum, else by the columns its header shares."""
    digest = sha256(file.data)
    for src in sources:
        if any(k.sha256 == digest for k in src.releases):
            return src
    first = file.data.removeprefix(BOM).split(b"\n", 1)[0].decode("utf-8", "replace")
    header = set(next(csv.reader([first.rstrip("\r")]), []))
    scored = sorted(
        ((len(header & set(src.release_format.field_names())), src) for src in sources),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] == 0 or (len(scored) > 1 and scored[0][0] == scored[1][0]):
        return None
    return scored[0][1]


def _known(file: ReleaseFile, source: Source, digest: str) -> tuple[KnownRelease | None, list]:
    """The published file this one is, and a problem if it claims to be one but differs."""
    for k in source.releases:
        if k.sha256 == digest:
            return k, []
    for k in source.releases:
        if file.basename == k.file or (file.address and file.address == k.url):
            return None, [
                Problem(
                    file.name,
                    1,
                    "(sha256)",
                    f"the file's SHA256 is {digest}, but the published {k.file} ({k.url}) has "
                    f"{k.sha256}: it is not the published file (damaged or cut short?); "
                    "download it again",
                )
            ]
    return None, []


def _text(file: ReleaseFile) -> tuple[str | None, list[Problem]]:
    try:
        return file.data.removeprefix(BOM).decode("utf-8"), []
    except UnicodeDecodeError as err:
        line = file.data[: err.start].count(b"\n") + 1
        return None, [Problem(file.name, line, "(encoding)", "the file is not valid UTF-8")]


def _header(file: ReleaseFile, text: str, source: Source) -> list[Problem]:
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    expected = source.release_format.field_names()
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    out = []
    if len(header) == len(expected):  # a column renamed in place: one problem, both names
        for was, now in zip(expected, header, strict=True):
            if was != now and was in missing and now in unknown:
                out.append(Problem(file.name, 1, was, f"the column is named {now!r}: renamed?"))
                missing.remove(was)
                unknown.remove(now)
    if missing:
        out.append(Problem(file.name, 1, "(header)", f"missing column(s): {', '.join(missing)}"))
    if unknown:
        out.append(
            Problem(
                file.name,
                1,
                "(header)",
                f"unknown column(s): {', '.join(unknown)}; the {source.title} release has "
                f"{', '.join(expected)} (declared in data/sources.yaml)",
            )
        )
    if len(set(header)) != len(header):
        out.append(Problem(file.name, 1, "(header)", "a column name appears twice"))
    return out


def _field_kind(field: dict) -> str:
    if field["type"] == "date":
        fmt = field.get("format", "%Y-%m-%d")
        for code, human in HUMAN_DATE.items():
            fmt = fmt.replace(code, human)
        return f"date in the form {fmt}"
    return {"number": "number", "integer": "whole number"}.get(field["type"], field["type"])


def _row_problems(file: ReleaseFile, source: Source, header: list[str], errors) -> list[Problem]:
    """Frictionless errors as one problem per mistake, at the file's line and column."""
    fields = {f["name"]: f for f in source.release_format.table_schema["fields"]}
    key = source.release_format.table_schema["primaryKey"]
    key = [key] if isinstance(key, str) else key
    short = {e.row_number for e in errors if e.type in ("missing-cell", "extra-cell")}
    out, told = [], set()
    for err in errors:
        line = getattr(err, "row_number", None) or 1
        name = getattr(err, "field_name", "") or ""
        cell = getattr(err, "cell", None)
        if line in short:  # one problem for a row of the wrong length, not one per cell
            if line not in told:
                told.add(line)
                cells = len([c for c in err.cells if c != ""])
                out.append(
                    Problem(file.name, line, "(row)", f"has {cells} cells, not {len(fields)}")
                )
        elif err.type == "type-error":
            out.append(
                Problem(file.name, line, name, f"'{cell}' is not a {_field_kind(fields[name])}")
            )
        elif err.type == "constraint-error":
            constraints = fields[name].get("constraints", {})
            if cell in (None, ""):
                msg = "a value is required"
            elif "enum" in err.note:
                msg = (
                    f"'{cell}' is not one of: {', '.join(constraints['enum'])} (data/sources.yaml)"
                )
            elif "minimum" in err.note:
                msg = f"'{cell}' is below the minimum, {constraints['minimum']}"
            else:
                msg = f"'{cell}' breaks the constraint {err.note}"
            out.append(Problem(file.name, line, name, msg))
        elif err.type == "primary-key":
            first = err.note.rsplit(" ", 1)[-1]
            values = dict(zip(header, err.cells, strict=False))
            shown = ", ".join(f"{k} {values.get(k, '')}" for k in key)
            out.append(
                Problem(
                    file.name, line, ",".join(key), f"duplicate: {shown} is already on line {first}"
                )
            )
        else:
            out.append(Problem(file.name, line, name or "(file)", err.message))
    return out


def _typed_rows(file: ReleaseFile, text: str, source: Source) -> tuple[list, list[Problem]]:
    from frictionless import Resource, Schema

    header = next(csv.reader(io.StringIO(text, newline="")), [])
    declared = {f["name"]: f for f in source.release_format.table_schema["fields"]}
    # The columns as the file orders them (the header check has found the same set).
    schema = {**source.release_format.table_schema, "fields": [declared[h] for h in header]}
    resource = Resource(
        text.encode("utf-8"),
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(schema),
    )
    report = resource.validate()
    errors = [e for task in report.tasks for e in task.errors] + list(report.errors)
    blank = {e.row_number for e in errors if e.type == "blank-row"}  # skipped, as in data/
    errors = [e for e in errors if getattr(e, "row_number", None) not in blank]
    if errors:
        return [], _row_problems(file, source, header, errors)
    with resource:
        rows = [(row.row_number, row.to_dict()) for row in resource.row_stream]
    return [(line, row) for line, row in rows if line not in blank], []


def _month(value) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def _period(file, rows, source, known) -> tuple[str, list[Problem]]:
    """The release's month: every row's date must fall in it (and in the known release's)."""
    column = source.release_format.period_column
    months = Counter(_month(row[column]) for _, row in rows)
    if not months:
        return "", [Problem(file.name, 2, "(file)", "the release has no rows")]
    period = known.period if known else months.most_common(1)[0][0]
    out = [
        Problem(
            file.name,
            line,
            column,
            f"{row[column]:%d/%m/%Y} is in {_month(row[column])}, but the release is for {period}"
            + (f" ({known.file})" if known else f" (the month of {months[period]} of its rows)"),
        )
        for line, row in rows
        if _month(row[column]) != period
    ]
    return period, out


def _derive(file, rows, source, period) -> tuple[list[dict[str, str]], list[Problem]]:
    out, problems = [], []
    for d in source.derive:
        step = Decimal(1).scaleb(-d.decimals)
        for g in d.groups:
            chosen = [
                row
                for _, row in rows
                if all(str(row[c]) in values for c, values in g.where.items())
            ]
            numerator = sum((Decimal(row[c]) for row in chosen for c in d.numerator), Decimal(0))
            denominator = sum(
                (Decimal(row[c]) for row in chosen for c in d.denominator), Decimal(0)
            )
            if not chosen or (d.denominator and denominator == 0):
                where = "; ".join(f"{c} {', '.join(v)}" for c, v in g.where.items()) or "any row"
                problems.append(
                    Problem(
                        file.name,
                        1,
                        "(file)",
                        f"no rows with {where} to compute {d.indicator} ({g.id}) from",
                    )
                )
                continue
            value = numerator / denominator if d.denominator else numerator
            value = (value * Decimal(str(d.scale))).quantize(step, rounding=ROUND_HALF_UP)
            row = {
                "indicator": d.indicator,
                "series": "",
                "period": period,
                "country": "",
                "group": "",
                "subgroup": "",
                "value": format(value, "f"),
                "status": source.status,
                "source": source.source,
                "note": d.note.format(rows=len(chosen)),
                "qualifier": "",
            }
            row[d.breakdown] = g.id
            out.append(row)
    return out, problems


def read(file: ReleaseFile, source: Source) -> tuple[Reading | None, list[Problem]]:
    """Check a release file against its source and derive its observations."""
    digest = sha256(file.data)
    known, problems = _known(file, source, digest)
    if not file.data.strip():
        return None, problems + [Problem(file.name, 1, "(file)", "the file is empty")]
    if not file.data.endswith(b"\n"):
        last = file.data.count(b"\n") + 1
        problems.append(
            Problem(
                file.name,
                last,
                "(file)",
                "the file ends in the middle of line "
                f"{last}: it looks cut short; download it again",
            )
        )
    text, bad = _text(file)
    if text is None:
        return None, problems + bad
    bad = _header(file, text, source)
    if bad:
        return None, problems + bad
    rows, bad = _typed_rows(file, text, source)
    if bad:
        return None, problems + bad
    period, bad = _period(file, rows, source, known)
    observations, underived = _derive(file, rows, source, period)
    problems += bad + underived
    if problems:
        return None, problems
    return Reading(file, source, period, digest, known, observations), []
