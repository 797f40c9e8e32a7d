"""Every organisation of a kind, one row each, from the stored release files of a source that
declares ``per_organisation`` (``data/sources.yaml``): a reader finds their own trust by name.

The latest month's rate is the one the release prints for the organisation; the rate over the
last twelve months is computed as the source's own rates are, days lost summed over days
available summed, rounded half up. Rows come from the stored copies, whose checksums the
validator checks, so nothing here re-reads the publisher.
"""

import csv
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mhwkb import fields
from mhwkb.data import records, releases, source_name
from mhwkb.sources import PerOrganisation, Source, stored_path

MONTHS = 12


@dataclass(frozen=True)
class Row:
    """One organisation: its latest month, its last twelve months and how it compares."""

    code: str
    name: str
    latest: str  # the rate the release prints for the latest month
    year: str  # the rate over the last twelve months, computed
    months: int  # how many of the twelve months it reported
    gap: str  # its twelve-month rate less the rate of all the organisations, in points


@dataclass(frozen=True)
class Table:
    """The organisations of a kind, with what their rates cover."""

    label: str
    source: Source
    latest_period: str
    first_period: str
    overall: str  # the twelve-month rate of all of them together
    rows: list[Row]


def _rate(numerator: Decimal, denominator: Decimal, spec: PerOrganisation) -> Decimal | None:
    if not denominator:
        return None
    step = Decimal(1).scaleb(-spec.decimals)
    value = numerator / denominator * Decimal(str(spec.scale))
    return value.quantize(step, rounding=ROUND_HALF_UP)


def table(indicator_id: str) -> Table | None:
    """The per-organisation table shown on an indicator's page, if a source declares one."""
    for src in records("sources"):
        spec = src.per_organisation
        if spec is None or spec.indicator != indicator_id:
            continue
        periods = sorted(releases(src.id)["period"], key=fields.period_sort_key)[-MONTHS:]
        if not periods:
            return None
        code_column = src.release_format.organisation_column
        sums: dict[str, list[Decimal]] = {}
        names: dict[str, str] = {}
        latest: dict[str, str] = {}
        reported: dict[str, int] = {}
        total = [Decimal(0), Decimal(0)]
        for period in periods:
            path = stored_path(src.id, period, extension=src.extension)
            text = path.read_bytes().decode("utf-8-sig")
            for row in csv.DictReader(io.StringIO(text, newline="")):
                if not all(row[c] in values for c, values in spec.where.items()):
                    continue
                code = row[code_column]
                lost = sum(Decimal(row[c]) for c in spec.numerator)
                available = sum(Decimal(row[c]) for c in spec.denominator)
                both = sums.setdefault(code, [Decimal(0), Decimal(0)])
                both[0] += lost
                both[1] += available
                total[0] += lost
                total[1] += available
                names[code] = row[spec.name_column]
                reported[code] = reported.get(code, 0) + 1
                if period == periods[-1]:
                    latest[code] = row[spec.rate_column]
        overall = _rate(*total, spec)
        rows = []
        for code, (lost, available) in sums.items():
            year = _rate(lost, available, spec)
            gap = year - overall if year is not None and overall is not None else None
            rows.append(
                Row(
                    code,
                    names[code],
                    latest.get(code, ""),
                    "" if year is None else format(year, "f"),
                    reported[code],
                    "" if gap is None else f"{gap:+.{spec.decimals}f}".replace("-", "\u2212"),
                )
            )
        return Table(
            spec.label,
            src,
            periods[-1],
            periods[0],
            "" if overall is None else format(overall, "f"),
            sorted(rows, key=lambda r: r.name.lower()),
        )
    return None


def html(indicator_id: str, depth: int):
    """The per-organisation section of an indicator page: how the rates spread, a table to sort
    and search, and its data as CSV; None when no source declares one."""
    import pandas as pd

    from mhwkb import charts, templates
    from mhwkb.html import payload
    from mhwkb.prose import period_label

    t = table(indicator_id)
    if t is None:
        return None
    rates = [float(r.year) for r in t.rows if r.year]
    low = int(min(rates) * 2) / 2
    bands = []
    while low <= max(rates):
        n = sum(low <= x < low + 0.5 for x in rates)
        bands.append({"Twelve-month rate": f"{low:.1f}% to under {low + 0.5:.1f}%", "Trusts": n})
        low += 0.5
    figure = charts.bars(
        pd.DataFrame(bands),
        category="Twelve-month rate",
        value="Trusts",
        title=f"How the {t.label.lower()} spread: trusts by their twelve-month rate",
        value_title="Trusts",
        description=f"{len(rates)} trusts by their sickness absence rate over the twelve months "
        f"{period_label(t.first_period)} to {period_label(t.latest_period)}, in bands of half a "
        f"percentage point; all of them together: {t.overall}%.",
        source=t.source.source,
        filename=f"{indicator_id}_trusts_spread.csv",
        depth=depth,
    )
    frame = pd.DataFrame(
        [
            {
                "Trust": r.name,
                "Code": r.code,
                f"{period_label(t.latest_period)} (%)": r.latest,
                "Twelve months (%)": r.year,
                "Against all (percentage points)": r.gap,
                "Months reported": r.months,
                "Source": source_name(t.source.source),
            }
            for r in t.rows
        ]
    )
    return templates.html(
        "by_organisation.html",
        t=t,
        latest=period_label(t.latest_period),
        span=f"{period_label(t.first_period)} to {period_label(t.latest_period)}",
        chart=figure.html(),
        table_id=f"{indicator_id}-trusts",
        depth=depth,
        payload=payload(frame),
        filename=f"{indicator_id}_trusts.csv",
    )
