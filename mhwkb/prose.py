"""Numbers for the prose: format a value for its unit and glue it into the page.

Chapters never type a figure into their text; they glue it from data with ``glue`` and
write ``{glue:md}`name``` in a Markdown cell. Each figure is glued as a Markdown link to its
source's entry in the references, so every number in the prose can be traced in one click.
"""

from mhwkb import scales


def fmt(value: float, unit: str, decimals: int | None = None) -> str:
    """A value as a reader expects it written for its unit: 8,819 · 13.6% · £1.25 billion.
    ``decimals`` keeps the precision the source prints (5.20%); None writes what the value
    needs."""
    if unit not in scales.UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    v = float(value)
    fixed = (lambda x: f"{x:,.{decimals}f}") if decimals is not None else None
    if unit in {"percent", "percent_change"}:
        return (fixed(v) if fixed else f"{v:g}") + "%"
    if unit == "percentage_points":
        return (fixed(v) if fixed else f"{v:g}") + " percentage points"
    if unit == "gbp":
        for size, word in ((1e9, "billion"), (1e6, "million")):
            if abs(v) >= size:
                return f"£{v / size:g} {word}"
        return f"£{v:,.0f}"
    if unit in scales.COUNT_UNITS or unit == "net_change":
        if abs(v) >= 1e6:
            return f"{v / 1e6:g} million"
        if fixed:
            return fixed(v)
        return f"{v:,.0f}" if v == round(v) else f"{v:,.1f}"
    return fixed(v) if fixed else f"{v:g}"


def fmt_change(change: float, unit: str, decimals: int | None = None) -> str:
    """A signed change between two values: +120 FTE, or +3.1 percentage points for a rate."""
    sign = "+" if change >= 0 else "\u2212"
    size = abs(round(change, 10))
    return sign + with_unit(size, "percentage_points" if unit == "percent" else unit, "", decimals)


def unit_phrase(unit: str) -> str:
    """How a unit reads in a sentence, from the unit vocabulary (``per 100,000 population``)."""
    return scales.UNITS[unit].long


def qualified(text: str, qualifier: str = "") -> str:
    """A formatted figure with the source's qualifier before it: over 1,000."""
    return f"{qualifier} {text}" if qualifier else text


def with_unit(value: float, unit: str, qualifier: str = "", decimals: int | None = None) -> str:
    """A value with its unit (and the source's qualifier, if any), as shown beside a figure:
    8,819 FTE · 13.6% · 15 minutes · over 1,000 people."""
    label = scales.UNITS[unit]
    text = qualified(fmt(value, unit, decimals), qualifier)
    if not label.short or label.short == "%":
        return text
    if label.short.startswith("%"):  # the number already ends in %: 8% change
        return text + label.short[1:]
    return f"{text} {label.one if float(value) == 1 and label.one else label.short}"


def axis_title(unit: str) -> str:
    """A unit as an axis or column title, in sentence case: ``Full-time equivalent staff (FTE)``."""
    long = scales.UNITS[unit].long
    return long[:1].upper() + long[1:]


def linked(text: str, source: str) -> str:
    """Markdown for a figure that links to its source's entry on the references page, the
    source named in the link's title."""
    from mhwkb.data import source_name
    from mhwkb.kinds import cite_anchor
    from mhwkb.markup import myst

    return f'[{text}](references.html#{cite_anchor(source)} "Source: {myst(source_name(source))}")'


def glue(
    name: str,
    value: float,
    unit: str,
    source: str,
    qualifier: str = "",
    decimals: int | None = None,
) -> None:
    """Make ``{glue:md}`name``` show ``value`` formatted for ``unit`` (after the source's
    qualifier, if any, and with the decimals it prints), linked to its source."""
    from IPython.display import Markdown
    from myst_nb import glue as myst_glue

    text = qualified(fmt(value, unit, decimals), qualifier)
    myst_glue(name, Markdown(linked(text, source)), display=False)


def glue_observation(name: str, indicator_id: str, period: str, **breakdown: str) -> None:
    """Glue one observation with its series' unit and the observation's own source."""
    from mhwkb.data import indicator, observation_row

    row = observation_row(indicator_id, period, **breakdown)
    unit = indicator(indicator_id).series_unit(row["series"])
    glue(name, row["value"], unit, row["source"], row["qualifier"], _printed(row))


def glue_fact(name: str, fact_id: str) -> None:
    """Glue one fact with its unit and source."""
    from mhwkb.data import fact

    f = fact(fact_id)
    glue(name, f.value, f.unit, f.source, f.qualifier)


def _printed(row) -> int | None:
    """The decimals a rate was printed with (5.20%); None for other figures, which read best
    without trailing zeros."""
    return int(row["decimals"]) if row.get("decimals") else None


def glue_text(name: str, text: str) -> None:
    """Glue a ready-made phrase that is not a figure (a unit, a version), for ``{glue:text}``."""
    from myst_nb import glue as myst_glue

    myst_glue(name, text, display=False)


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def day_label(day) -> str:
    """A date as written in prose: 6 December 2026."""
    return period_label(day.isoformat())


def at(period: str) -> str:
    """A period after a figure: in October 2016, in 2015/16, on 31 March 2021, in 2013 to 2015
    (a range of years is ten characters long too, but is not a day)."""
    day = len(period) == 10 and ".." not in period
    return ("on " if day else "in ") + period_label(period)


def period_label(period: str) -> str:
    """A period as written in prose: ``2016-10`` -> October 2016, ``2015/16`` -> 2015/16."""
    parts = period.split("..")
    if len(parts) == 2:
        return f"{period_label(parts[0])} to {period_label(parts[1])}"
    if len(period) >= 7 and period[4] == "-":
        day = f"{int(period[8:10])} " if len(period) == 10 else ""
        return f"{day}{MONTHS[int(period[5:7]) - 1]} {period[:4]}"
    return period
