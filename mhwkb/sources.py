"""The source registry (``data/sources.yaml``) and the provenance of imported releases
(``data/releases.csv``): their schemas and their checks against the other data files.

A source is an official statistics series declared once: who publishes it, its licence,
where its releases are published, what a release file looks like (CSV, or a sheet of an Excel
workbook, with a Frictionless Table Schema of its columns), the published files known so far
with their SHA256 and how far each was verified, and how a release becomes observations.
``mhwkb.importer`` reads release files against it; the format is described in
``data/README.md``.
"""

import difflib
import hashlib
import json
from datetime import date, datetime
from functools import cache
from importlib import metadata
from typing import Literal

from pydantic import Field, field_validator, model_validator

from mhwkb import fields, kept
from mhwkb import schemas as s
from mhwkb.parse import Item, field_path
from mhwkb.paths import DATA, relative
from mhwkb.problems import Problem

RELEASES_DIR = DATA / "releases"
SHA256 = r"^[0-9a-f]{64}$"
URL = r"^https?://\S+$"

# How far the stored bytes of a release were verified, strongest first: what a page says of a
# release in force. ``unverified`` is what the importer records for a file no registry entry
# vouches for.
ASSURANCE = {
    "published_checksum": "checked against a checksum the publisher printed",
    "publisher_file": "the publisher's own file, read from the address it is published at",
    "printed_figures": "a copy kept by a third party, checked against figures the publisher "
    "printed",
    "consistency": "a copy kept by a third party, checked for consistency only (no figure the "
    "publisher printed was compared)",
    "unverified": "not checked against anything the publisher printed",
}
Assurance = Literal[tuple(ASSURANCE)]


class Licence(fields.Strict):
    """The licence a source's releases are published under."""

    name: str = Field(description="the licence's name")
    url: str = Field(pattern=URL, description="where the licence can be read")


class KnownRelease(fields.Strict):
    """A file the publisher released, with the checksum a copy of it must have and how far the
    copy kept here was verified."""

    period: str = Field(description="the period the release is named for")
    covers: str | None = Field(
        None,
        description="the months its rows span, when it holds a time series (2010-01..2023-01); "
        "blank: every row is in the release's own period",
    )
    file: str = Field(min_length=1, description="the file's name as published")
    url: str = Field(
        pattern=URL, description="where the file, or the page listing it, is published"
    )
    sha256: str = Field(pattern=SHA256, description="the SHA256 the copy kept here has")
    assurance: Assurance = Field(description="how far the bytes were verified (see ASSURANCE)")
    checked: str = Field(
        "", description="how they were verified, in a sentence; required unless the publisher's own"
    )
    copy_of: str | None = Field(
        None, pattern=URL, description="where the copy was taken from, when not the publisher"
    )

    _period = field_validator("period")(lambda v: fields.check_period(v))

    @field_validator("covers")
    @classmethod
    def _covers(cls, v: str | None) -> str | None:
        return fields.check_period(v) if v else v

    @model_validator(mode="after")
    def _says_how(self):
        if self.assurance in ("printed_figures", "consistency") and len(self.checked) < 10:
            raise ValueError(
                f"a release verified by '{self.assurance}' needs `checked`: what was compared"
            )
        if self.assurance in ("printed_figures", "consistency") and not self.copy_of:
            raise ValueError(f"a release verified by '{self.assurance}' needs `copy_of`")
        return self

    def spans(self, month: str) -> bool:
        """Whether a row of ``month`` belongs to this release."""
        if not self.covers:
            return month == self.period
        first, _, last = self.covers.partition("..")
        return fields.period_sort_key(first) <= month <= fields.period_sort_key(last or first)


class Group(fields.Strict):
    """One value of the breakdown: the rows whose columns hold one of the listed values (and,
    with ``cluster``, whose organisation belongs to it), or, for a printed table, the column
    holding the group's figure."""

    id: str = Field(pattern=fields.SLUG)
    where: dict[str, list[str]] = Field(
        default={}, description="column -> accepted values; empty: every row"
    )
    cluster: str | None = Field(
        None,
        min_length=1,
        description="only organisations that are, or became part of, trusts of this cluster "
        "in data/trusts.yaml",
    )
    column: str | None = Field(
        None, description="printed tables: the column holding this group's figure"
    )


class Derivation(fields.Strict):
    """How a release becomes observations of one indicator: one value per period and group.

    Computed: ``sum(numerator) / sum(denominator) * scale`` over the group's rows of a period
    (``sum(numerator) * scale`` without a denominator), rounded half up to ``decimals``
    places; ``numerator_where`` and ``denominator_where`` narrow the rows each part sums.
    Printed (``printed: true``): the figure each group's ``column`` prints in the period's row,
    kept exactly as printed.
    """

    indicator: str = Field(pattern=fields.SLUG)
    series: str = Field("", description="a series of the indicator; blank: its main series")
    breakdown: fields.BreakdownName
    printed: bool = Field(False, description="take each figure as the release prints it")
    numerator: list[str] = []
    numerator_where: dict[str, list[str]] = {}
    denominator: list[str] = []
    denominator_where: dict[str, list[str]] = {}
    scale: float = Field(1, gt=0)
    decimals: int | None = Field(None, ge=0, le=6)
    note: str = Field(
        "",
        description="note on each observation; {rows} is the number of rows summed, "
        "{organisations} the number of organisations",
    )
    groups: list[Group] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_way(self):
        columns = [g.id for g in self.groups if g.column]
        if self.printed:
            if self.numerator or self.denominator or self.decimals is not None:
                raise ValueError(
                    "a printed derivation takes figures as printed: no numerator, "
                    "denominator or decimals"
                )
            if len(columns) != len(self.groups):
                raise ValueError("a printed derivation names the `column` of every group")
        else:
            if not self.numerator or self.decimals is None:
                raise ValueError("a computed derivation needs a numerator and decimals")
            if columns:
                raise ValueError(
                    f"`column` is for printed derivations (groups {', '.join(columns)})"
                )
        return self

    def uses(self) -> list[tuple[tuple, str]]:
        """Every column it reads and where it names it: ``(("numerator", 0), "FTE")``."""
        return [
            *_named("numerator", self.numerator),
            *_named("denominator", self.denominator),
            *_keys(("numerator_where",), self.numerator_where),
            *_keys(("denominator_where",), self.denominator_where),
            *(
                use
                for j, g in enumerate(self.groups)
                for use in _keys(("groups", j, "where"), g.where)
            ),
            *((("groups", j, "column"), g.column) for j, g in enumerate(self.groups) if g.column),
        ]


class PerOrganisation(fields.Strict):
    """A table of one rate for every organisation of a kind, from every stored release: its
    latest month as the release prints it, and its rate over the last twelve months."""

    indicator: str = Field(pattern=fields.SLUG, description="the indicator whose page shows it")
    label: str = Field(
        min_length=1, description="the organisations, as a heading: Mental health trusts"
    )
    name_column: str = Field(description="the column holding the organisation's name")
    rate_column: str = Field(description="the column printing the organisation's rate")
    where: dict[str, list[str]] = Field(
        description="column -> accepted values: which organisations"
    )
    numerator: list[str] = Field(min_length=1)
    denominator: list[str] = Field(min_length=1)
    scale: float = Field(100, gt=0)
    decimals: int = Field(ge=0, le=6)

    def uses(self) -> list[tuple[tuple, str]]:
        """Every column it reads and where it names it."""
        return [
            (("name_column",), self.name_column),
            (("rate_column",), self.rate_column),
            *_keys(("where",), self.where),
            *_named("numerator", self.numerator),
            *_named("denominator", self.denominator),
        ]


def _named(field: str, columns: list[str]) -> list[tuple[tuple, str]]:
    """The columns a list (the field ``field``) names, each at its place in the list."""
    return [((field, i), c) for i, c in enumerate(columns)]


def _keys(at: tuple, where: dict) -> list[tuple[tuple, str]]:
    """The columns a mapping (at ``at``) names as its keys, each at its key."""
    return [((*at, c, "[key]"), c) for c in where]


def _undeclared(uses: list[tuple[tuple, str]], declared: list[str]) -> list[tuple[tuple, str]]:
    """Each column used but not declared, at its first use (the others named in the message)."""
    places: dict[str, list[tuple]] = {}
    for at, column in uses:
        if column not in declared:
            places.setdefault(column, []).append(at)
    out = []
    for column, (first, *more) in places.items():
        like = difflib.get_close_matches(column, declared, n=1)
        hint = f"did you mean '{like[0]}'?" if like else "declare it there first"
        also = f" (also used at {', '.join(map(field_path, more))})" if more else ""
        message = f"column '{column}' is not declared in release_format.table_schema; {hint}"
        out.append((first, message + also))
    return out


def _month_of(fmt: str) -> None:
    probe = date(2017, 9, 30)
    try:
        back = datetime.strptime(probe.strftime(fmt), fmt)
    except ValueError:
        back = None
    if back is None or (back.year, back.month) != (probe.year, probe.month):
        raise ValueError(
            f"period_format '{fmt}' does not give a year and a month (use %Y with %m, %b or %B)"
        )


class ReleaseFormat(fields.Strict):
    """What a release file looks like: CSV in UTF-8 (a byte-order mark is accepted, lines end
    in \\n or \\r\\n), or one sheet of an Excel workbook whose table starts at ``header_row`` and
    ends at its first empty row."""

    format: Literal["csv", "xlsx"]
    encoding: Literal["utf-8"] = "utf-8"
    sheet: str | None = Field(None, description="xlsx: the sheet holding the table")
    header_row: int = Field(1, ge=1, le=1000, description="xlsx: the row of the column names")
    period_column: str = Field(description="the column giving each row's month")
    organisation_column: str | None = Field(
        None, description="the column holding each row's organisation code, if any"
    )
    period_format: str | None = Field(
        None,
        description="how a text period column writes the month (%B %Y: January 2010); a range "
        "'A to B' is the month of B",
    )
    covers: Literal["month", "span"] = Field(
        "month",
        description="month: a release holds one month; span: a time series, named for its "
        "latest month",
    )
    table_schema: dict = Field(description="a Frictionless Table Schema of the columns")

    @field_validator("table_schema")
    @classmethod
    def _frictionless(cls, v: dict) -> dict:
        errors = schema_errors(v)
        if errors:
            raise ValueError("; ".join(errors))
        if not v.get("primaryKey"):
            raise ValueError("needs a primaryKey: the columns that identify a row in a release")
        return v

    @field_validator("period_format")
    @classmethod
    def _format(cls, v: str | None) -> str | None:
        if v is not None:
            _month_of(v)
        return v

    @model_validator(mode="after")
    def _period_readable(self):
        types = {f["name"]: f.get("type") for f in self.table_schema["fields"]}
        kind = types.get(self.period_column)
        if kind != "date" and not (kind == "string" and self.period_format):
            raise ValueError(
                f"period_column {self.period_column} must be a field of type date, or of type "
                "string with a period_format"
            )
        if (self.format == "xlsx") != (self.sheet is not None):
            raise ValueError("an xlsx release names its `sheet`; a csv release has none")
        return self

    def field_names(self) -> list[str]:
        return [f["name"] for f in self.table_schema["fields"]]


SCHEMAS = "schemas.json"  # in kept.CACHE: a table schema -> what Frictionless finds wrong


def schema_errors(descriptor: dict) -> list[str]:
    """What Frictionless finds wrong with a Table Schema (nothing: an empty list), kept for the
    descriptor and Frictionless's version: a validation needs Frictionless (a fifth of a
    second to import) only when a schema changed."""
    digest = kept.digest(json.dumps(descriptor, sort_keys=True), _frictionless_version())
    answers = kept.load(SCHEMAS)
    if digest not in answers:
        from frictionless import Schema

        answers[digest] = [e.message for e in Schema.validate_descriptor(descriptor).errors]
        kept.save(SCHEMAS, answers)
    return answers[digest]


@cache
def _frictionless_version() -> str:
    return metadata.version("frictionless")


class Source(fields.Strict):
    """An official statistics series imported from its published release files."""

    id: str = Field(pattern=fields.SLUG, description="unique id of the source")
    title: str = Field(description="the statistics' title as published")
    publisher: str = Field(description="who publishes the releases")
    source: str = Field(description="BibTeX key citing the series")
    licence: Licence = Field(description="the licence the releases are published under")
    published_at: str = Field(pattern=URL, description="the page listing the releases")
    frequency: fields.Frequency = Field(description="how often a release is published")
    status: fields.Status = Field(description="status of the observations derived from a release")
    status_note: str = Field(min_length=10, description="why the releases have that status")
    release_format: ReleaseFormat = Field(description="the columns and types of a release file")
    derive: list[Derivation] = Field(
        min_length=1, description="how a release becomes observations, one indicator each"
    )
    releases: list[KnownRelease] = Field([], description="the published files known so far")
    per_organisation: PerOrganisation | None = Field(
        None, description="a table of every organisation of a kind, shown on an indicator page"
    )
    classifies: str | None = Field(
        None,
        description="the column that puts each organisation in a cluster (NHS England's), when "
        "a release has one: data/trusts.yaml is checked against the latest release",
    )

    @model_validator(mode="after")
    def _columns_declared(self):
        problems = _undeclared(self.column_uses(), self.release_format.field_names())
        needs = (
            self.classifies
            or self.per_organisation
            or any(g.cluster for d in self.derive for g in d.groups)
        )
        if needs and not self.release_format.organisation_column:
            problems.append(
                (
                    ("release_format",),
                    "needs organisation_column to classify organisations or to select a cluster's",
                )
            )
        fields.refuse_at(problems)
        return self

    def column_uses(self) -> list[tuple[tuple, str]]:
        """Every column of a release the source reads and where it names it (the period
        column is checked with the release format)."""
        fmt = self.release_format
        uses = [
            (("release_format", "organisation_column"), fmt.organisation_column),
            (("classifies",), self.classifies),
            *((("derive", i, *at), c) for i, d in enumerate(self.derive) for at, c in d.uses()),
        ]
        if self.per_organisation:
            uses += [(("per_organisation", *at), c) for at, c in self.per_organisation.uses()]
        return [(at, c) for at, c in uses if c]

    @property
    def extension(self) -> str:
        return self.release_format.format


class Release(fields.Strict):
    """One imported release file: its source, period, address, checksum, when it was read and
    how far its bytes were verified."""

    source_id: str = Field(pattern=fields.SLUG, description="id of the source in sources.yaml")
    period: str = Field(description="the period the release is named for")
    covers: str = Field("", description="the months its rows span, when more than its period")
    file: str = Field(min_length=1, description="the file's name as read")
    address: str = Field("", description="where the file is published (blank if not known)")
    sha256: str = Field(pattern=SHA256, description="the SHA256 of the stored bytes")
    read: date = Field(description="the date the file was read")
    licence: str = Field(min_length=1, description="the licence it was published under")
    status: fields.Status = Field(description="status of the observations derived from it")
    assurance: Assurance = Field(description="how far its bytes were verified")

    _period = field_validator("period")(lambda v: fields.check_period(v))

    @field_validator("covers")
    @classmethod
    def _covers(cls, v: str) -> str:
        return fields.check_period(v) if v else v

    @field_validator("address")
    @classmethod
    def _http(cls, v: str) -> str:
        if v and not (v.startswith("http://") or v.startswith("https://")):
            raise ValueError("an address is an http or https URL, or blank")
        return v

    def key(self) -> tuple:
        return (self.source_id, self.period)


RELEASE_COLUMNS = list(Release.model_fields)


def stored_path(source_id: str, period: str, data=DATA, extension: str = "csv"):
    """Where the project keeps the bytes of a source's release for a period."""
    return data / "releases" / source_id / f"{period.replace('/', '-')}.{extension}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def revised(old: dict, new: dict, registry: dict[str, Source]) -> set[tuple[str, str]]:
    """(indicator, period) pairs whose release file was replaced, from two provenance tables."""
    out = set()
    for key in old.keys() & new.keys():
        if old[key].sha256 != new[key].sha256 and key[0] in registry:
            out |= {(d.indicator, key[1]) for d in registry[key[0]].derive}
    return out


def check(
    sources: list[Item],
    releases: list[Item],
    registry: dict[str, s.Indicator],
    clusters: set[str] | None,
    missing,
) -> list[Problem]:
    """Links from the registry and the provenance to indicators, series, clusters and to the
    stored files.

    ``missing(item, loc, file, id, what)`` notes a link to a record that does not exist (the
    validator reports it once, and not at all when the file it points into failed).
    ``clusters`` is None when ``data/trusts.yaml`` could not be read.
    """
    out = []
    for item in sources:
        for i, d in enumerate(item.record.derive):
            ind = registry.get(d.indicator)
            if ind is None:
                missing(item, ("derive", i, "indicator"), "indicators", d.indicator, "indicator")
                continue
            if d.series and d.series not in ind.series:
                out.append(
                    item.problem(
                        "derive",
                        i,
                        "series",
                        message=f"indicator {ind.id} has no series '{d.series}'; declared: "
                        f"{', '.join(ind.series) or 'none'}",
                    )
                )
            for j, g in enumerate(d.groups):
                if g.cluster and clusters is not None and g.cluster not in clusters:
                    out.append(
                        item.problem(
                            "derive",
                            i,
                            "groups",
                            j,
                            "cluster",
                            message=f"no trust in data/trusts.yaml has the cluster "
                            f"'{g.cluster}'; known: {', '.join(sorted(clusters))}",
                        )
                    )
            if d.breakdown not in ind.breakdowns:
                out.append(
                    item.problem(
                        "derive",
                        i,
                        "breakdown",
                        message=f"indicator {ind.id} has no '{d.breakdown}' breakdown",
                    )
                )
                continue
            allowed = ind.breakdowns[d.breakdown].values
            for j, g in enumerate(d.groups):
                if g.id not in allowed:
                    out.append(
                        item.problem(
                            "derive",
                            i,
                            "groups",
                            j,
                            "id",
                            message=f"'{g.id}' is not a value of the {d.breakdown} breakdown "
                            f"of {ind.id}; allowed: {', '.join(allowed)}",
                        )
                    )
    by_id = {i.record.id: i.record for i in sources}
    recorded, unjudged = set(), False
    for item in releases:
        r = item.record
        if r.source_id not in by_id:
            missing(item, ("source_id",), "sources", r.source_id, "source")
            unjudged = True  # the files it records cannot be matched: say nothing of them
            continue
        path = stored_path(r.source_id, r.period, extension=by_id[r.source_id].extension)
        recorded.add(path)
        if not path.exists():
            out.append(item.problem("file", message=f"the stored copy {relative(path)} is missing"))
        elif sha256(path.read_bytes()) != r.sha256:
            out.append(
                item.problem(
                    "sha256",
                    message=f"the stored copy {relative(path)} has SHA256 "
                    f"{sha256(path.read_bytes())}, not the recorded one; its bytes must stay "
                    "as published (see .gitattributes)",
                )
            )
    if RELEASES_DIR.exists() and not unjudged:
        for path in sorted(p for p in RELEASES_DIR.rglob("*") if p.is_file()):
            if path not in recorded:
                out.append(
                    Problem(
                        relative(path),
                        1,
                        "(file)",
                        "no row of releases.csv records this file; import it with "
                        "`python -m mhwkb import` or delete it",
                    )
                )
    return out
