"""What an indicator page says about the official source its figures are imported from:
the series, its licence and the latest release imported (``data/sources.yaml``,
``data/releases.csv``).
"""

from dataclasses import dataclass
from datetime import date

from mhwkb import schemas as s
from mhwkb.data import records, releases
from mhwkb.prose import period_label


@dataclass(frozen=True)
class Provenance:
    """What an indicator page says about the official source its figures are imported from."""

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

    def sentence(self) -> str:
        return (
            f"Imported from {self.title} ({self.publisher}), published under the "
            f"{self.licence}: {self.releases} release{'s' if self.releases != 1 else ''}, "
            f"{period_label(self.first_period)} to {period_label(self.latest_period)}. "
            "Latest release imported: "
            f"{period_label(self.latest_period)}, read on {self.latest_read.isoformat()}."
        )


def provenance(indicator_id: str) -> Provenance | None:
    """The source an indicator is imported from and its latest imported release, if any."""
    for src in records("sources"):
        if all(d.indicator != indicator_id for d in src.derive):
            continue
        rows = releases(src.id)
        if rows.empty:
            return None
        rows = rows.assign(_key=rows["period"].map(s.period_sort_key)).sort_values("_key")
        latest = rows.iloc[-1]
        return Provenance(
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
        )
    return None
