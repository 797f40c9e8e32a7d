"""Report tables rebuilt from component rows, with subtotals and totals computed here.

The report's printed totals are kept in ``data/tables.yaml`` as check values only; the
validator compares them with the sums computed by ``table_frame``.
"""

import pandas as pd
from IPython.display import HTML

from mhwkb import html
from mhwkb import schemas as s
from mhwkb.data import indicator, observations, record
from mhwkb.prose import period_label


def _label(ind: s.Indicator, breakdown: str, value: str) -> str:
    return ind.breakdowns[breakdown].values.get(value, value)


def components(
    table: s.Table, ind: s.Indicator | None = None, obs: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The component rows of a table: one row per (group, row) and one column per period.

    ``ind`` and ``obs`` (the indicator's observations) default to the data; the validator
    passes the records it is checking.
    """
    ind = ind or indicator(table.indicator)
    obs = observations(table.indicator) if obs is None else obs
    obs = obs[obs["period"].isin(table.periods) & (obs["series"] == "") & (obs[table.rows] != "")]
    obs = obs.assign(_group=obs[table.groups] if table.groups else "")
    group_order = list(ind.breakdowns[table.groups].values) if table.groups else [""]
    row_order = list(ind.breakdowns[table.rows].values)
    wide = obs.pivot_table(
        index=["_group", table.rows], columns="period", values="value", aggfunc="sum"
    )
    wide = wide.reindex(columns=table.periods)
    keys = sorted(wide.index, key=lambda k: (group_order.index(k[0]), row_order.index(k[1])))
    return wide.reindex(pd.MultiIndex.from_tuples(keys, names=["group", table.rows]))


def component_lines(
    table: s.Table, period: str, group: str = "", obs: pd.DataFrame | None = None
) -> list[int]:
    """CSV line numbers of the rows that add up to one printed total."""
    obs = observations(table.indicator) if obs is None else obs
    obs = obs[(obs["period"] == period) & (obs["series"] == "") & (obs[table.rows] != "")]
    if group:
        obs = obs[obs[table.groups] == group]
    return sorted(obs["line"])


def totals(
    table: s.Table, ind: s.Indicator | None = None, obs: pd.DataFrame | None = None
) -> dict[tuple[str, str], float]:
    """Computed totals keyed by ``(period, group)``; group ``""`` is the grand total."""
    wide = components(table, ind, obs)
    out = {(p, ""): float(wide[p].sum()) for p in table.periods}
    if table.groups:
        for (g, _), row in wide.iterrows():
            for p in table.periods:
                out[(p, g)] = out.get((p, g), 0.0) + float(row[p])
    return out


def printed_total(table_id: str, period: str, group: str = "") -> float:
    """The total the report prints for one period (and group) of a table, as kept in tables.yaml.

    Headline figures quote the report's printed total; the computed one is shown beside it.
    """
    table = record("tables", table_id)
    for p in table.printed:
        if p.period == period and p.group == group:
            return p.value
    raise KeyError(f"{table_id} keeps no printed total for {period} {group or 'total'}")


def table_frame(table_id: str) -> pd.DataFrame:
    """The table as a reader sees it: rows, then a subtotal per group, then the total.

    Columns: ``label``, ``kind`` (``row``, ``subtotal`` or ``total``) and one per period.
    """
    table = record("tables", table_id)
    ind = indicator(table.indicator)
    wide = components(table)
    sums = totals(table)
    lines = []
    groups = list(dict.fromkeys(g for g, _ in wide.index))
    for g in groups:
        if table.groups:
            lines.append(
                {
                    "label": _label(ind, table.groups, g),
                    "kind": "subtotal",
                    **{p: sums[(p, g)] for p in table.periods},
                }
            )
        for (_, r), row in wide.loc[[g]].iterrows():
            lines.append({"label": _label(ind, table.rows, r), "kind": "row", **row.to_dict()})
    lines.append({"label": "Total", "kind": "total", **{p: sums[(p, "")] for p in table.periods}})
    return pd.DataFrame(lines, columns=["label", "kind", *table.periods])


def show(table_id: str) -> HTML:
    """The table as accessible HTML, with computed totals and the report's printed ones noted."""
    table = record("tables", table_id)
    frame = table_frame(table_id)
    sums = totals(table)
    ind = indicator(table.indicator)
    notes = []
    for p in table.printed:
        got = sums[(p.period, p.group)]
        if got != p.value:
            where = _label(ind, table.groups, p.group).lower() if p.group else "the total"
            notes.append(
                f"The report prints {p.value:,.0f} for {where} in {period_label(p.period)}. {p.note}"
            )
    shown = frame.drop(columns="kind").rename(columns={p: period_label(p) for p in table.periods})
    shown = shown.rename(columns={"label": ind.breakdowns[table.rows].label})
    return HTML(
        html.table(
            shown,
            caption=f"{table.label}: {table.title}",
            source=table.source,
            filename=f"{table.id}.csv",
            row_kinds=frame["kind"],
            notes=notes,
        )
    )
