"""Load the knowledge base's data by id. Chapters use these functions, never file paths.

Each loader validates the file it reads (raising ``DataError`` with file, line and field)
and, when ``MHWKB_TRACE`` names a file, appends what it read to it: a whole file
(``data/tables.yaml``) or one part of it (``data/observations.csv#indicator=gp_fte``,
``data/indicators.yaml#id=gp_fte``, ``data/references.bib#key=cmh2017``). That is how
``mhwkb.refresh`` learns which chapters read which data, so an edit re-runs only the
chapters that read the edited part. The changelog is traced the same way
(``mhwkb.datapackage``).
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, wraps

import pandas as pd

from mhwkb import catalog, fields
from mhwkb import schemas as s
from mhwkb.parse import csv_records, yaml_records
from mhwkb.paths import BIB, DATA, relative
from mhwkb.problems import DataError

BREAKDOWNS = list(fields.BREAKDOWNS)


_recording: list[list[tuple[str, str, str]]] = []  # the reads of each cached call running


def _part(name: str, column: str = "", value: str = "") -> str:
    """What was read, as the trace names it: a file, or a part of it after ``#column=value``."""
    return relative(DATA / name) + (f"#{column}={value}" if column else "")


def _use(name: str, column: str = "", value: str = "") -> None:
    for reads in _recording:
        reads.append((name, column, value))
    trace = os.environ.get("MHWKB_TRACE")
    if trace:
        with open(trace, "a", encoding="utf-8") as f:
            f.write(_part(name, column, value) + "\n")


@contextmanager
def reading() -> Iterator[list[str]]:
    """The parts of the data read inside the block (filled when it ends), named as the trace
    names them, so a result kept between runs can be checked against the data it came from."""
    found: list[tuple[str, str, str]] = []
    parts: list[str] = []
    _recording.append(found)
    try:
        yield parts
    finally:
        _recording.remove(found)
        parts.extend(sorted({_part(*read) for read in found}))


def cached_reads(function):
    """Keep a function of the data's answer for each set of arguments, with the reads it made:
    a repeat call replays those reads, so every chapter that asks is still known to depend on
    what the answer came from (the data do not change while a process runs)."""
    answers: dict = {}

    @wraps(function)
    def cached(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        if key in answers:
            answer, reads = answers[key]
            for read in reads:
                _use(*read)
            return answer
        _recording.append([])
        try:
            answer = function(*args, **kwargs)
        finally:
            reads = _recording.pop()
        answers[key] = (answer, reads)
        return answer

    cached.cache_clear = answers.clear  # for a test that swaps the data the function reads
    return cached


@cache
def _indicators() -> dict[str, s.Indicator]:
    items = yaml_records(DATA / catalog.INDICATORS, s.Indicator).checked()
    return {i.record.id: i.record for i in items}


@cache
def _csv(name: str) -> pd.DataFrame:
    model, columns, key, _ = catalog.CSV_FILES[name]
    items = csv_records(DATA / name, model, columns, key).checked()
    frame = pd.DataFrame([i.record.model_dump() for i in items], columns=columns)
    frame["line"] = [i.locate() for i in items]
    if "value" in columns:  # the decimals the source prints: 5.20 has two
        frame["decimals"] = [fields.decimals_of((i.raw or {}).get("value", "")) for i in items]
    return frame


@cache
def _records(kind: str) -> list:
    if kind not in catalog.RECORDS:
        raise KeyError(
            f"no record kind {kind!r}; known kinds: {', '.join(sorted(catalog.RECORDS))}"
        )
    return [i.record for i in yaml_records(DATA / f"{kind}.yaml", catalog.RECORDS[kind]).checked()]


def indicators() -> dict[str, s.Indicator]:
    """The indicator registry, by id."""
    _use(catalog.INDICATORS)
    return _indicators()


def indicator(indicator_id: str) -> s.Indicator:
    """One indicator's metadata."""
    registry = _indicators()
    if indicator_id not in registry:
        raise KeyError(f"no indicator {indicator_id!r} in data/{catalog.INDICATORS}")
    _use(catalog.INDICATORS, "id", indicator_id)
    return registry[indicator_id]


def observations(indicator_id: str | None = None, **where: str) -> pd.DataFrame:
    """Observations, optionally of one indicator and filtered on columns (``period="2016-10"``)."""
    frame = _csv(catalog.OBSERVATIONS)
    if indicator_id is None:
        _use(catalog.OBSERVATIONS)
    else:
        indicator(indicator_id)
        _use(catalog.OBSERVATIONS, "indicator", indicator_id)
        frame = frame[frame["indicator"] == indicator_id]
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame.reset_index(drop=True)


def observation_row(
    indicator_id: str, period: str, series: str = "", **breakdown: str
) -> pd.Series:
    """Exactly one observation (value, source, status, note); breakdowns not named must be blank."""
    where = {b: breakdown.get(b, "") for b in BREAKDOWNS}
    unknown = set(breakdown) - set(BREAKDOWNS)
    if unknown:
        raise KeyError(f"unknown breakdown(s) {sorted(unknown)}; use {BREAKDOWNS}")
    rows = observations(indicator_id, period=period, series=series, **where)
    if len(rows) != 1:
        raise KeyError(
            f"{len(rows)} observations of {indicator_id} for {period} {where}; expected one"
        )
    return rows.iloc[0]


def observation(indicator_id: str, period: str, series: str = "", **breakdown: str) -> float:
    """The value of exactly one observation; breakdowns not named must be blank."""
    return float(observation_row(indicator_id, period, series, **breakdown)["value"])


def _rows(name: str, column: str, value: str | None) -> pd.DataFrame:
    """A CSV file's rows, or those whose ``column`` holds ``value``, traced as read."""
    frame = _csv(name)
    if value is None:
        _use(name)
    else:
        _use(name, column, value)
        frame = frame[frame[column] == value]
    return frame.reset_index(drop=True)


def facts(subject: str | None = None) -> pd.DataFrame:
    """Single figures, optionally about one subject record."""
    return _rows(catalog.FACTS, "subject", subject)


def fact(fact_id: str) -> s.Fact:
    """One fact by id."""
    rows = _csv(catalog.FACTS)
    match = rows[rows["id"] == fact_id]
    if match.empty:
        raise KeyError(f"no fact {fact_id!r} in data/{catalog.FACTS}")
    _use(catalog.FACTS, "id", fact_id)
    return s.Fact.model_validate(match.drop(columns=["line", "decimals"]).iloc[0].to_dict())


def releases(source_id: str | None = None) -> pd.DataFrame:
    """Provenance of the imported release files, optionally of one source."""
    return _rows(catalog.RELEASES, "source_id", source_id)


def records(kind: str) -> list:
    """All records of a kind (``tables``, ``case_studies``, ...), in file order."""
    _use(f"{kind}.yaml")
    return _records(kind)


def record(kind: str, key: str | int, by: str = "id"):
    """One record by id, or by another field that tells records apart (``by="number"``)."""
    for r in _records(kind):
        if getattr(r, by) == key:
            _use(f"{kind}.yaml", by, str(key))
            return r
    named = repr(key) if by == "id" else f"with {by} {key!r}"
    raise KeyError(f"no {kind} record {named} in data/{kind}.yaml")


@cache
def _references() -> dict[str, dict[str, str]]:
    from mhwkb import bibliography

    bib = bibliography.read(BIB)
    if bib.problems:
        raise DataError(bib.problems)
    return bibliography.plain_entries(BIB)


def reference(key: str) -> dict[str, str]:
    """One bibliography entry as plain text fields (``type``, ``title``, ``author``, ``year``...)."""
    entries = _references()
    if key not in entries:
        raise KeyError(f"no reference {key!r} in data/references.bib")
    _use(BIB.name, "key", key)
    return entries[key]


def source_name(key: str) -> str:
    """A source as a reader names it: its author or publisher, its title and year (UK
    Parliament, Mental Health Services, written question 192392 (2023)); the key itself when
    the bibliography has no such entry."""
    try:
        ref = reference(key)
    except KeyError:
        return key
    who = ref.get("author") or ref.get("organization") or ref.get("institution") or ""
    who = who.split(";")[0].replace("{", "").replace("}", "").strip()
    title = ref.get("title", "").strip().rstrip(".")
    name = ", ".join(part for part in (who, title) if part) or key
    return f"{name} ({ref['year']})" if ref.get("year") else name


def source_url(key: str) -> str:
    """Where a source can be read: its web address or DOI link, blank when it has neither or
    when the address is not http(s)."""
    from mhwkb.markup import safe_url

    try:
        ref = reference(key)
    except KeyError:
        return ""
    return safe_url(ref.get("url", "")) or safe_url("doi:" + ref.get("doi", "")) or ""
