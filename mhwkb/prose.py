"""Numbers for the prose: format a value for its unit and glue it into the page.

Chapters never type a figure into their text; they glue it from data with ``glue`` and
write ``{glue:text}`name``` in a Markdown cell. Values are glued as ready-formatted
strings: myst-nb strips the quotes of a string's repr when it pastes it.
"""

from mhwkb import schemas as s


def fmt(value: float, unit: str) -> str:
    """A value as a reader expects it written for its unit: 8,819 · 13.6% · £1.25 billion."""
    if unit not in s.UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    v = float(value)
    if unit == "percent":
        return f"{v:g}%"
    if unit == "gbp":
        for size, word in ((1e9, "billion"), (1e6, "million")):
            if abs(v) >= size:
                return f"£{v / size:g} {word}"
        return f"£{v:,.0f}"
    if unit in s.COUNT_UNITS or unit == "net_change":
        if abs(v) >= 1e6:
            return f"{v / 1e6:g} million"
        return f"{v:,.0f}" if v == round(v) else f"{v:,.1f}"
    return f"{v:g}"


def unit_phrase(unit: str) -> str:
    """How a unit reads in a sentence, from the unit vocabulary (``per 100,000 population``)."""
    return s.UNITS[unit]


def glue(name: str, value: float, unit: str) -> None:
    """Make ``{glue:text}`name``` show ``value`` formatted for ``unit``."""
    from myst_nb import glue as myst_glue

    myst_glue(name, fmt(value, unit), display=False)


def glue_text(name: str, text: str) -> None:
    """Glue a ready-made phrase (a date, a name list) that comes from data."""
    from myst_nb import glue as myst_glue

    myst_glue(name, text, display=False)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def period_label(period: str) -> str:
    """A period as written in prose: ``2016-10`` -> October 2016, ``2015/16`` -> 2015/16."""
    parts = period.split("..")
    if len(parts) == 2:
        return f"{period_label(parts[0])} to {period_label(parts[1])}"
    if len(period) >= 7 and period[4] == "-":
        day = f"{int(period[8:10])} " if len(period) == 10 else ""
        return f"{day}{MONTHS[int(period[5:7]) - 1]} {period[:4]}"
    return period
