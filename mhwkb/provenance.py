"""What an indicator page says about the official sources its figures are imported from: each
series, its licence, the latest release imported and how far its bytes were verified
(``data/sources.yaml``, ``data/releases.csv``).
"""

from dataclasses import dataclass
from datetime import date

from mhwkb import fields
from mhwkb.data import records, releases
from mhwkb.prose import period_label
from mhwkb.sources import ASSURANCE


@dataclass(frozen=True)
class Provenance:
    """What an indicator page says about one official source its figures are imported from."""

    title: str
    publisher: str
    source: str
    licence: str
    licence_url: str
    published_at: str
    releases: int
    first_period: str
    latest_period: str
    latest_file: str
    latest_address: str
    latest_read: date
    covers: str = ""
    assurance: str = "unverified"
    checked: str = ""

    def sentence(self) -> str:
        span = f" (covering {period_label(self.covers)})" if self.covers else ""
        how = f" {self.checked}" if self.checked else ""
        spread = (
            f"{self.releases} releases, {period_label(self.first_period)} to "
            f"{period_label(self.latest_period)}"
            if self.releases != 1
            else f"1 release, {period_label(self.latest_period)}"
        )
        return (
            f"Imported from {self.title} ({self.publisher}), published under the "
            f"{self.licence}: {spread}. "
            "Latest release imported: "
            f"{period_label(self.latest_period)}{span}, read on {self.latest_read.isoformat()}; "
            f"{ASSURANCE[self.assurance]}.{how}"
        )


def provenances(indicator_id: str) -> list[Provenance]:
    """Each source an indicator is imported from, with its latest imported release."""
    out = []
    for src in records("sources"):
        if all(d.indicator != indicator_id for d in src.derive):
            continue
        rows = releases(src.id)
        if rows.empty:
            continue
        rows = rows.assign(_key=rows["period"].map(fields.period_sort_key)).sort_values("_key")
        latest = rows.iloc[-1]
        known = next((k for k in src.releases if k.sha256 == latest["sha256"]), None)
        out.append(
            Provenance(
                title=src.title,
                publisher=src.publisher,
                source=src.source,
                licence=src.licence.name,
                licence_url=src.licence.url,
                published_at=src.published_at,
                releases=len(rows),
                first_period=rows["period"].iloc[0],
                latest_period=latest["period"],
                latest_file=latest["file"],
                latest_address=latest["address"],
                latest_read=latest["read"],
                covers=latest["covers"],
                assurance=latest["assurance"],
                checked=" ".join(known.checked.split()) if known else "",
            )
        )
    return out


def provenance(indicator_id: str) -> Provenance | None:
    """The first source an indicator is imported from, if any."""
    found = provenances(indicator_id)
    return found[0] if found else None
