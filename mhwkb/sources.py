"""The source registry (``data/sources.yaml``) and the provenance of imported releases
(``data/releases.csv``): their schemas and their checks against the other data files.

A source is an official statistics series declared once: who publishes it, its licence,
where its releases are published, the columns of a release file (a Frictionless Table
Schema), the published files known so far with their SHA256, and how a release becomes
observations. ``mhwkb.importer`` reads release files against it; the format is described in
``data/README.md``.
"""

import hashlib
from datetime import date
from typing import Literal

from pydantic import Field, field_validator, model_validator

from mhwkb import schemas as s
from mhwkb.parse import Item
from mhwkb.paths import DATA, relative
from mhwkb.problems import Problem

RELEASES_DIR = DATA / "releases"
SHA256 = r"^[0-9a-f]{64}$"
URL = r"^https?://\S+$"


class Licence(s.Strict):
    """The licence a source's releases are published under."""

    name: str = Field(description="the licence's name")
    url: str = Field(pattern=URL, description="where the licence can be read")


class KnownRelease(s.Strict):
    """A file the publisher released, with the checksum a copy of it must have."""

    period: str = Field(description="the period the release covers")
    file: str = Field(min_length=1, description="the file's name as published")
    url: str = Field(pattern=URL, description="where the file is published")
    sha256: str = Field(pattern=SHA256, description="the SHA256 the publisher's file has")

    _period = field_validator("period")(lambda v: s.check_period(v))


class Group(s.Strict):
    """One value of the breakdown: the rows whose columns hold one of the listed values."""

    id: str = Field(pattern=s.SLUG)
    where: dict[str, list[str]] = Field(
        default={}, description="column -> accepted values; empty: every row"
    )


class Derivation(s.Strict):
    """How a release becomes observations of one indicator: one value per group.

    The value is ``sum(numerator columns) / sum(denominator columns) * scale`` over the
    group's rows (``sum(numerator) * scale`` without a denominator), rounded half up to
    ``decimals`` places.
    """

    indicator: str = Field(pattern=s.SLUG)
    breakdown: s.BreakdownName
    numerator: list[str] = Field(min_length=1)
    denominator: list[str] = []
    scale: float = Field(1, gt=0)
    decimals: int = Field(ge=0, le=6)
    note: str = Field("", description="note on each observation; {rows} is the number of rows")
    groups: list[Group] = Field(min_length=1)

    def columns(self) -> set[str]:
        return {*self.numerator, *self.denominator, *(c for g in self.groups for c in g.where)}


class ReleaseFormat(s.Strict):
    """What a release file looks like: CSV in UTF-8 (a byte-order mark is accepted)."""

    format: Literal["csv"]
    encoding: Literal["utf-8"]
    period_column: str = Field(description="a date column; every row is in the release's month")
    table_schema: dict = Field(description="a Frictionless Table Schema of the columns")

    @field_validator("table_schema")
    @classmethod
    def _frictionless(cls, v: dict) -> dict:
        from frictionless import Schema

        report = Schema.validate_descriptor(v)
        if not report.valid:
            raise ValueError("; ".join(e.message for e in report.errors))
        if not v.get("primaryKey"):
            raise ValueError("needs a primaryKey: the columns that identify a row in a release")
        return v

    @model_validator(mode="after")
    def _period_is_a_date(self):
        types = {f["name"]: f.get("type") for f in self.table_schema["fields"]}
        if types.get(self.period_column) != "date":
            raise ValueError(f"period_column {self.period_column} must be a field of type date")
        return self

    def field_names(self) -> list[str]:
        return [f["name"] for f in self.table_schema["fields"]]


class Source(s.Strict):
    """An official statistics series imported from its published release files."""

    id: str = Field(pattern=s.SLUG, description="unique id of the source")
    title: str = Field(description="the statistics' title as published")
    publisher: str = Field(description="who publishes the releases")
    source: str = Field(description="BibTeX key citing the series")
    licence: Licence = Field(description="the licence the releases are published under")
    published_at: str = Field(pattern=URL, description="the page listing the releases")
    frequency: s.Frequency = Field(description="how often a release is published")
    status: s.Status = Field(description="status of the observations derived from a release")
    status_note: str = Field(min_length=10, description="why the releases have that status")
    release_format: ReleaseFormat = Field(description="the columns and types of a release file")
    derive: list[Derivation] = Field(
        min_length=1, description="how a release becomes observations, one indicator each"
    )
    releases: list[KnownRelease] = Field([], description="the published files known so far")

    @model_validator(mode="after")
    def _columns_declared(self):
        declared = set(self.release_format.field_names())
        used = {self.release_format.period_column}.union(*(d.columns() for d in self.derive))
        unknown = sorted(used - declared)
        if unknown:
            raise ValueError(
                f"column(s) {', '.join(unknown)} are used but not declared in table_schema"
            )
        return self


class Release(s.Strict):
    """One imported release file: its source, period, address, checksum and when it was read."""

    source_id: str = Field(pattern=s.SLUG, description="id of the source in sources.yaml")
    period: str = Field(description="the period the release covers")
    file: str = Field(min_length=1, description="the file's name as read")
    address: str = Field("", description="where the file is published (blank if not known)")
    sha256: str = Field(pattern=SHA256, description="the SHA256 of the stored bytes")
    read: date = Field(description="the date the file was read")
    licence: str = Field(min_length=1, description="the licence it was published under")
    status: s.Status = Field(description="status of the observations derived from it")

    _period = field_validator("period")(lambda v: s.check_period(v))

    @field_validator("address")
    @classmethod
    def _http(cls, v: str) -> str:
        if v and not (v.startswith("http://") or v.startswith("https://")):
            raise ValueError("an address is an http or https URL, or blank")
        return v

    def key(self) -> tuple:
        return (self.source_id, self.period)


RELEASE_COLUMNS = list(Release.model_fields)


def stored_path(source_id: str, period: str, data=DATA):
    """Where the project keeps the bytes of a source's release for a period."""
    return data / "releases" / source_id / f"{period.replace('/', '-')}.csv"


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
    sources: list[Item], releases: list[Item], registry: dict[str, s.Indicator], missing
) -> list[Problem]:
    """Links from the registry and the provenance to indicators and to the stored files.

    ``missing(item, loc, file, id, what)`` notes a link to a record that does not exist (the
    validator reports it once, and not at all when the file it points into failed).
    """
    out = []
    for item in sources:
        for i, d in enumerate(item.record.derive):
            ind = registry.get(d.indicator)
            if ind is None:
                missing(item, ("derive", i, "indicator"), "indicators", d.indicator, "indicator")
            elif d.breakdown not in ind.breakdowns:
                out.append(
                    item.problem(
                        "derive",
                        i,
                        "breakdown",
                        message=f"indicator {ind.id} has no '{d.breakdown}' breakdown",
                    )
                )
            else:
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
    ids = {i.record.id for i in sources}
    recorded, unjudged = set(), False
    for item in releases:
        r = item.record
        if r.source_id not in ids:
            missing(item, ("source_id",), "sources", r.source_id, "source")
            unjudged = True  # the files it records cannot be matched: say nothing of them
            continue
        path = stored_path(r.source_id, r.period)
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
