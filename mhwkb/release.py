"""Read one official release file against its source in ``data/sources.yaml``: check its
bytes, columns, types and months, and derive the observations it gives.

A release is a CSV file or one sheet of an Excel workbook (read as the text each cell prints,
so a rate printed as 4.60 keeps its two decimals). Every problem is a ``Problem`` naming the
file (and sheet), the line (the sheet's row) and the column; nothing here writes.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import unquote, urlsplit

from mhwkb.fields import NUMBER
from mhwkb.problems import Problem
from mhwkb.sources import KnownRelease, ReleaseFormat, Source, sha256

BOM = b"\xef\xbb\xbf"
HUMAN_DATE = {"%d": "DD", "%m": "MM", "%Y": "YYYY", "%y": "YY", "%B": "Month", "%b": "Mon"}
FIXED = re.compile(r"^[#,]*0(?:\.(0+))?$")  # an Excel number format with fixed decimals
MAX_ROW_ERRORS = 1000  # a file with more is reported up to here: one mistake repeated


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
class Table:
    """A release's table as CSV text, with where its lines are in the file."""

    name: str  # shown in messages: the file, and the sheet of a workbook
    text: str
    offset: int = 0  # a line of ``text`` is line ``n + offset`` of the file (the sheet's row)


@dataclass(frozen=True)
class Reading:
    """A release file that passed every check, and the observations it gives."""

    file: ReleaseFile
    source: Source
    period: str
    covers: str
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
        (
            (len(header & set(src.release_format.field_names())), src)
            for src in sources
            if src.release_format.format == "csv"
        ),
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


def _csv_table(file: ReleaseFile) -> tuple[Table | None, list[Problem]]:
    if file.data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Problem(file.name, 1, "(encoding)", "the file is UTF-16; save it as UTF-8 (CSV UTF-8)")
        ]
    try:
        text = file.data.removeprefix(BOM).decode("utf-8")
    except UnicodeDecodeError as err:
        line = file.data[: err.start].count(b"\n") + 1
        return None, [Problem(file.name, line, "(encoding)", "the file is not valid UTF-8")]
    if not file.data.endswith(b"\n"):
        last = file.data.count(b"\n") + 1
        return Table(file.name, text), [
            Problem(
                file.name,
                last,
                "(file)",
                f"the file ends in the middle of line {last}: it looks cut short; download it "
                "again",
            )
        ]
    return Table(file.name, text), []


def _printed(cell) -> str:
    """A cell as the sheet prints it: a number keeps the decimals its format shows when it has
    no more digits than that (4.6 under 0.00 is 4.60), else every digit it holds."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, int | float):
        fixed = FIXED.match(cell.number_format or "")
        places = len(fixed.group(1) or "") if fixed else None
        if places is not None and round(value, places) == value:
            return f"{value:.{places}f}"
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    return str(value)


def _letter(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _sheet_table(file: ReleaseFile, fmt: ReleaseFormat) -> tuple[Table | None, list[Problem]]:
    """The table of an Excel sheet: the header row, then every row to the first empty one.
    A column with no name in the header row is named by its letter (A, B, ...)."""
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(file.data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return None, [Problem(file.name, 1, "(file)", "the file is not an Excel workbook (.xlsx)")]
    if fmt.sheet not in book.sheetnames:
        shown = ", ".join(book.sheetnames)
        return None, [Problem(file.name, 1, "(sheet)", f"no sheet '{fmt.sheet}'; it has: {shown}")]
    name = f"{file.name} [{fmt.sheet}]"
    rows = book[fmt.sheet].iter_rows(min_row=fmt.header_row)
    header = [_printed(c).strip() for c in next(rows, ())]
    width = max((i + 1 for i, h in enumerate(header) if h), default=0)
    if not width:
        return None, [Problem(name, fmt.header_row, "(header)", "the header row is empty")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([h or _letter(i) for i, h in enumerate(header[:width])])
    for row in rows:
        cells = [_printed(c) for c in row[:width]]
        if not any(c.strip() for c in cells):
            break
        writer.writerow(cells + [""] * (width - len(cells)))
    book.close()
    return Table(name, out.getvalue(), fmt.header_row - 1), []


def _header(table: Table, source: Source) -> list[Problem]:
    header = next(csv.reader(io.StringIO(table.text, newline="")), [])
    expected = source.release_format.field_names()
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    line = 1 + table.offset
    out = []
    if len(header) == len(expected):  # a column renamed in place: one problem, both names
        for was, now in zip(expected, header, strict=True):
            if was != now and was in missing and now in unknown:
                out.append(Problem(table.name, line, was, f"the column is named {now!r}: renamed?"))
                missing.remove(was)
                unknown.remove(now)
    if missing:
        out.append(
            Problem(table.name, line, "(header)", f"missing column(s): {', '.join(missing)}")
        )
    if unknown:
        out.append(
            Problem(
                table.name,
                line,
                "(header)",
                f"unknown column(s): {', '.join(unknown)}; the {source.title} release has "
                f"{', '.join(expected)} (declared in data/sources.yaml)",
            )
        )
    if len(set(header)) != len(header):
        out.append(Problem(table.name, line, "(header)", "a column name appears twice"))
    return out


def _field_kind(field: dict) -> str:
    if field["type"] == "date":
        fmt = field.get("format", "%Y-%m-%d")
        for code, human in HUMAN_DATE.items():
            fmt = fmt.replace(code, human)
        return f"date in the form {fmt}"
    return {"number": "number", "integer": "whole number"}.get(field["type"], field["type"])


def _row_problems(table: Table, source: Source, header: list[str], errors) -> list[Problem]:
    """Frictionless errors as one problem per mistake, at the file's line and column."""
    fields = {f["name"]: f for f in source.release_format.table_schema["fields"]}
    key = source.release_format.table_schema["primaryKey"]
    key = [key] if isinstance(key, str) else key
    short = {e.row_number for e in errors if e.type in ("missing-cell", "extra-cell")}
    out, told = [], set()
    for err in errors:
        row = getattr(err, "row_number", None) or 1
        line = row + table.offset
        name = getattr(err, "field_name", "") or ""
        cell = getattr(err, "cell", None)
        if row in short:  # one problem for a row of the wrong length, not one per cell
            if row not in told:
                told.add(row)
                cells = len([c for c in err.cells if c != ""])
                out.append(
                    Problem(table.name, line, "(row)", f"has {cells} cells, not {len(fields)}")
                )
        elif err.type == "type-error":
            out.append(
                Problem(table.name, line, name, f"'{cell}' is not a {_field_kind(fields[name])}")
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
            out.append(Problem(table.name, line, name, msg))
        elif err.type == "primary-key":
            first = int(err.note.rsplit(" ", 1)[-1]) + table.offset
            values = dict(zip(header, err.cells, strict=False))
            shown = ", ".join(f"{k} {values.get(k, '')}" for k in key)
            out.append(
                Problem(
                    table.name,
                    line,
                    ",".join(key),
                    f"duplicate: {shown} is already on line {first}",
                )
            )
        else:
            out.append(Problem(table.name, line, name or "(file)", err.message))
    return out


def _typed_rows(table: Table, source: Source) -> tuple[list, list[Problem]]:
    """Rows as ``(row number, typed values, printed text)``, read and checked in one pass; the
    row number counts the header as 1, as Frictionless does. Blank rows are skipped, as in
    data/."""
    from frictionless import FrictionlessException, Resource, Schema

    raw = list(csv.reader(io.StringIO(table.text, newline="")))
    header = raw[0] if raw else []
    declared = {f["name"]: f for f in source.release_format.table_schema["fields"]}
    # The columns as the file orders them (the header check has found the same set).
    schema = {**source.release_format.table_schema, "fields": [declared[h] for h in header]}
    resource = Resource(
        table.text.encode("utf-8"),
        format="csv",
        encoding="utf-8",
        schema=Schema.from_descriptor(schema),
    )
    rows, errors = [], []
    try:
        with resource:
            for row in resource.row_stream:
                if any(e.type == "blank-row" for e in row.errors):
                    continue
                if row.errors:
                    errors += row.errors
                    if len(errors) >= MAX_ROW_ERRORS:
                        break
                elif not errors:
                    rows.append((row.row_number, row.to_dict()))
    except FrictionlessException as err:
        errors.append(err.error)
    if errors:
        return [], _row_problems(table, source, header, errors)
    return [(n, typed, dict(zip(header, raw[n - 1], strict=False))) for n, typed in rows], []


def _month(value, fmt: ReleaseFormat) -> str | None:
    """The month a row's period cell gives (YYYY-MM), or None when it gives none."""
    if fmt.period_format is None:
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value).rsplit(" to ", 1)[-1].strip()
    try:
        when = datetime.strptime(text, fmt.period_format)
    except ValueError:
        return None
    return f"{when.year:04d}-{when.month:02d}"


def _human(fmt: str) -> str:
    for code, human in HUMAN_DATE.items():
        fmt = fmt.replace(code, human)
    return fmt


def _periods(table, rows, source, known) -> tuple[str, str, dict[int, str], list[Problem]]:
    """The release's period, the months it spans (blank when one), each row's month, and a
    problem for every row outside the release."""
    fmt = source.release_format
    column = fmt.period_column
    months, out = {}, []
    for n, typed, _ in rows:
        month = _month(typed[column], fmt)
        if month is None:
            out.append(
                Problem(
                    table.name,
                    n + table.offset,
                    column,
                    f"'{typed[column]}' is not a month in the form {_human(fmt.period_format)}",
                )
            )
        else:
            months[n] = month
    if out:
        return "", "", {}, out
    if not months:
        return (
            "",
            "",
            {},
            [Problem(table.name, 2 + table.offset, "(file)", "the release has no rows")],
        )
    counts = Counter(months.values())
    first, last = min(counts), max(counts)
    if known:
        period, covers = known.period, known.covers or ""
    elif fmt.covers == "span":
        period, covers = last, (f"{first}..{last}" if first != last else "")
    else:
        period, covers = counts.most_common(1)[0][0], ""
    inside = known.spans if known else (lambda m: bool(covers) or m == period)
    for n, month in months.items():
        if not inside(month):
            what = f" ({known.file})" if known else f" (the month of {counts[period]} of its rows)"
            span = covers.replace("..", " to ") if covers else period
            out.append(
                Problem(
                    table.name,
                    n + table.offset,
                    column,
                    f"{_cell_text(rows, n, column)} is in {month}, but the release is for "
                    f"{span}{what}",
                )
            )
    return period, covers, months, out


def _cell_text(rows, n, column) -> str:
    typed = next(t for m, t, _ in rows if m == n)[column]
    return f"{typed:%d/%m/%Y}" if isinstance(typed, date) else str(typed)


def _matches(row: dict, where: dict[str, list[str]]) -> bool:
    return all(str(row[c]) in values for c, values in where.items())


def _observation(d, source, period, group, value: str, note: str) -> dict[str, str]:
    row = {
        "indicator": d.indicator,
        "series": d.series,
        "period": period,
        "country": "",
        "group": "",
        "subgroup": "",
        "value": value,
        "status": source.status,
        "source": source.source,
        "note": note,
        "qualifier": "",
    }
    row[d.breakdown] = group
    return row


def _derive(table, rows, source, months, trusts) -> tuple[list[dict[str, str]], list[Problem]]:
    out, problems = [], []
    by_period: dict[str, list] = {}
    for n, typed, printed in rows:
        by_period.setdefault(months[n], []).append((n, typed, printed))
    org = source.release_format.organisation_column
    for d in source.derive:
        for g in d.groups:
            codes = trusts.get(g.cluster, set()) if g.cluster else None
            for period, chosen_rows in sorted(by_period.items()):
                chosen = [
                    (n, typed, printed)
                    for n, typed, printed in chosen_rows
                    if _matches(typed, g.where) and (codes is None or str(typed[org]) in codes)
                ]
                if d.printed:
                    value = _printed_value(table, d, g, period, chosen, problems)
                    if value is not None:
                        out.append(_observation(d, source, period, g.id, value, d.note))
                    continue
                value = _computed(d, [t for _, t, _ in chosen])
                if value is None:
                    where = "; ".join(f"{c} {', '.join(v)}" for c, v in g.where.items())
                    where += (
                        f"{'; ' if where else ''}cluster {g.cluster.cluster}" if g.cluster else ""
                    )
                    problems.append(
                        Problem(
                            table.name,
                            1 + table.offset,
                            "(file)",
                            f"no rows with {where or 'any row'} in {period} to compute "
                            f"{d.indicator} ({g.id}) from",
                        )
                    )
                    continue
                rows = [t for _, t, _ in chosen]
                organisations = len({str(t[org]) for t in rows}) if org else len(rows)
                note = d.note.format(rows=len(rows), organisations=organisations)
                out.append(_observation(d, source, period, g.id, value, note))
    return out, problems


def _computed(d, chosen: list[dict]) -> str | None:
    """``sum(numerator) / sum(denominator) * scale`` over the rows, rounded half up."""
    numerator = sum(
        (Decimal(str(r[c])) for r in chosen if _matches(r, d.numerator_where) for c in d.numerator),
        Decimal(0),
    )
    parts = [r for r in chosen if _matches(r, d.denominator_where)]
    denominator = sum((Decimal(str(r[c])) for r in parts for c in d.denominator), Decimal(0))
    if not chosen or (d.denominator and denominator == 0):
        return None
    value = numerator / denominator if d.denominator else numerator
    step = Decimal(1).scaleb(-d.decimals)
    value = (value * Decimal(str(d.scale))).quantize(step, rounding=ROUND_HALF_UP)
    return format(value, "f")


def _printed_value(table, d, g, period, chosen, problems) -> str | None:
    """The figure a group's column prints in a period's one row; None where it prints none."""
    if len(chosen) != 1:
        lines = ", ".join(str(n + table.offset) for n, _, _ in chosen) or "none"
        problems.append(
            Problem(
                table.name,
                1 + table.offset,
                g.column,
                f"{len(chosen)} rows for {period} (lines {lines}); a printed figure needs one",
            )
        )
        return None
    n, typed, printed = chosen[0]
    if typed[g.column] is None:  # a missing value ('.', not applicable)
        return None
    text = printed[g.column].strip()
    if not NUMBER.match(text):
        problems.append(
            Problem(table.name, n + table.offset, g.column, f"'{text}' is not a number")
        )
        return None
    return text


def read(
    file: ReleaseFile, source: Source, trusts: dict[str, set[str]] | None = None
) -> tuple[Reading | None, list[Problem]]:
    """Check a release file against its source and derive its observations. ``trusts`` gives
    the organisation codes of each cluster (``mhwkb.trusts.codes``) for groups that name one."""
    digest = sha256(file.data)
    known, problems = _known(file, source, digest)
    if not file.data.strip():
        return None, problems + [Problem(file.name, 1, "(file)", "the file is empty")]
    fmt = source.release_format
    table, bad = _sheet_table(file, fmt) if fmt.format == "xlsx" else _csv_table(file)
    problems += bad
    if table is None:
        return None, problems
    bad = _header(table, source)
    if bad:
        return None, problems + bad
    rows, bad = _typed_rows(table, source)
    if bad:
        return None, problems + bad
    period, covers, months, bad = _periods(table, rows, source, known)
    if bad:
        return None, problems + bad
    observations, underived = _derive(table, rows, source, months, trusts or {})
    problems += underived
    if problems:
        return None, problems
    return Reading(file, source, period, covers, digest, known, observations), []
