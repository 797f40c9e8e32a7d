"""The validator's checks of what is measured: indicators and their targets, observations (series,
breakdowns, ranges, parts that must add up to their total), facts, the report's printed tables
and the targets later policies set."""

from collections.abc import Iterator
from decimal import Decimal

from mhwkb import catalog, fields, scales
from mhwkb import schemas as s
from mhwkb.known import Known, did_you_mean
from mhwkb.parse import Item, Records
from mhwkb.problems import Problem


def _in_range(item: Item, value: float, unit: str, *loc) -> list[Problem]:
    why = scales.out_of_range(value, unit)
    return [item.problem(*loc, message=why)] if why else []


def _measuring(
    items: list[Item], registry: dict[str, s.Indicator], known: Known
) -> Iterator[tuple[Item, s.Indicator]]:
    """Each item with the indicator it names; an unknown indicator is noted for ``known`` to
    report once."""
    for item in items:
        ind = registry.get(item.record.indicator)
        if ind is None:
            known.missing(item, ("indicator",), "indicators", item.record.indicator, "indicator")
        else:
            yield item, ind


def observations(
    items: list[Item], registry: dict[str, s.Indicator], known: Known
) -> list[Problem]:
    out = []
    for item, ind in _measuring(items, registry, known):
        o = item.record
        if o.series and o.series not in ind.series:
            out.append(
                item.problem(
                    "series",
                    message=f"indicator {ind.id} has no series '{o.series}'; declare "
                    "it under series: in indicators.yaml with its comparability note",
                )
            )
            continue
        for b in fields.BREAKDOWNS:
            value = getattr(o, b)
            if not value:
                continue
            if b not in ind.breakdowns:
                out.append(
                    item.problem(
                        b, message=f"indicator {ind.id} has no '{b}' breakdown; leave it blank"
                    )
                )
            elif value not in ind.breakdowns[b].values:
                allowed = ", ".join(ind.breakdowns[b].values)
                out.append(
                    item.problem(
                        b, message=f"'{value}' is not an allowed value; allowed: {allowed}"
                    )
                )
        out += _in_range(item, o.value, ind.series_unit(o.series), "value")
    return out


def _by_breakdown(items: list[Item], registry: dict[str, s.Indicator]) -> dict[tuple, dict]:
    """Counts (a rate or a share is not the sum of its parts) by each breakdown that adds up,
    grouped by (indicator, breakdown, series, period, the other breakdowns' values), then by
    the breakdown's value ("" for the total)."""
    groups: dict[tuple, dict[str, list[Item]]] = {}
    for item in items:
        o = item.record
        ind = registry.get(o.indicator)
        if ind is None or ind.series_unit(o.series) not in scales.COUNT_UNITS:
            continue
        for b, breakdown in ind.breakdowns.items():
            if breakdown.additive:
                others = tuple(getattr(o, x) for x in fields.BREAKDOWNS if x != b)
                key = (o.indicator, b, o.series, o.period, others)
                groups.setdefault(key, {}).setdefault(getattr(o, b), []).append(item)
    return groups


def parts_add_up(items: list[Item], registry: dict[str, s.Indicator]) -> list[Problem]:
    """Where a total row has a row beside it for every value of a breakdown that adds up, the
    rows add up to the total within rounding: half a unit of the coarsest digit printed, for
    each part. Figures printed as approximate (over, around) are not held to it."""
    out = []
    for (indicator, b, *_), rows in _by_breakdown(items, registry).items():
        breakdown = registry[indicator].breakdowns[b]
        if "" not in rows or not rows.keys() >= breakdown.values.keys():
            continue
        total, parts = rows[""], [p for v in breakdown.values for p in rows[v]]
        if len(total) + len(parts) > len(breakdown.values) + 1:
            continue  # a duplicate row, reported as one
        if any(r.record.qualifier for r in [*total, *parts]):
            continue
        figures = [r.raw["value"].strip() for r in [*total, *parts]]  # as printed: 13.60
        allowed = len(parts) * Decimal(5).scaleb(-1 - min(map(fields.decimals_of, figures)))
        want, got = Decimal(figures[0]), sum(map(Decimal, figures[1:]))
        if abs(got - want) > allowed:
            lines = ", ".join(str(p.locate()) for p in parts)
            out.append(
                total[0].problem(
                    "value",
                    message=f"the {len(parts)} rows by {breakdown.label.lower()} (lines {lines}) "
                    f"add up to {got:,f}, not {want:,f} (rounding allows "
                    f"±{allowed.normalize():f}); correct the figures, or, if the total counts "
                    "more than these values, declare the rest as a value of the breakdown in "
                    "indicators.yaml",
                )
            )
    return out


def indicators(items: list[Item]) -> list[Problem]:
    out = []
    for item in items:
        ind = item.record
        out += _targets(item)
        for i, t in enumerate(ind.targets):
            if t.kind == "level":
                out += _in_range(item, t.value, t.unit, "targets", i, "value")
            elif scales.out_of_range(t.value, t.unit):
                low, high = scales.UNIT_RANGES[t.unit]
                out.append(
                    item.problem(
                        "targets",
                        i,
                        "value",
                        message=f"an increase of {t.value:g} is more than the plausible range "
                        f"for {t.unit} ({low:,g} to {high:,g})",
                    )
                )
    return out


def _targets(item: Item) -> list[Problem]:
    """A target is measured on a series of its indicator in that series' unit, and one that
    comes on top of another names an earlier target of the same series."""
    ind, out = item.record, []
    by_id = {t.id: t for t in ind.targets}
    twice = {t.id for t in ind.targets if [x.id for x in ind.targets].count(t.id) > 1}
    for i, t in enumerate(ind.targets):
        if t.series and t.series not in ind.series:
            declared = ", ".join(ind.series) or "none"
            out.append(
                item.problem(
                    "targets",
                    i,
                    "series",
                    message=f"indicator {ind.id} has no series '{t.series}'; declared: {declared}",
                )
            )
            continue
        counts = ind.series_unit(t.series)
        if t.measurable and t.unit != counts:
            what = f"its series {t.series}" if t.series else f"indicator {ind.id}"
            out.append(
                item.problem(
                    "targets",
                    i,
                    "unit",
                    message=f"the target counts {t.unit} but {what} counts {counts}: measure it "
                    "on a series in its unit, or set measurable: false",
                )
            )
        if t.cumulative_with is None or t.cumulative_with in twice:
            continue  # a duplicated id is reported once, as a duplicate
        earlier = by_id.get(t.cumulative_with)
        if earlier is None or earlier is t:
            out.append(
                item.problem(
                    "targets",
                    i,
                    "cumulative_with",
                    message=f"'{t.cumulative_with}' is not another target of {ind.id}; known: "
                    f"{', '.join(x for x in by_id if x != t.id) or 'none'}",
                )
            )
        elif (earlier.series, earlier.unit) != (t.series, t.unit):
            out.append(
                item.problem(
                    "targets",
                    i,
                    "cumulative_with",
                    message=f"target {earlier.id} is counted on another series or unit; a target "
                    "comes on top of one counted the same way",
                )
            )
        elif (
            earlier.deadline
            and t.deadline
            and (fields.period_sort_key(earlier.deadline) > fields.period_sort_key(t.deadline))
        ):
            out.append(
                item.problem(
                    "targets",
                    i,
                    "cumulative_with",
                    message=f"target {earlier.id} is due later ({earlier.deadline}); a target "
                    "comes on top of an earlier one",
                )
            )
    return out


def facts(items: list[Item], known: Known, subjects: set[str], judged: bool) -> list[Problem]:
    out = []
    for item in items:
        f = item.record
        out += _in_range(item, f.value, f.unit, "value")
        failed = any(f.subject in ids for ids in known.failed.values())
        if judged and not failed and f.subject not in subjects:
            out.append(
                item.problem(
                    "subject",
                    message=f"'{f.subject}' is not a record id, an indicator id or a chapter name",
                )
            )
    return out


def policy_targets(policies: list[Item], indicators: Records, known: Known) -> list[Problem]:
    """The targets a policy sets are targets in indicators.yaml, each set by one policy and due
    no earlier than the policy was published."""
    out = []
    declared: dict[str, tuple[Item, int]] = {}  # target id -> its indicator and its place there
    for item in indicators.items:
        for i, t in enumerate(item.record.targets):
            if t.id in declared:
                line = declared[t.id][0].locate("targets", declared[t.id][1], "id")
                out.append(
                    item.problem(
                        "targets",
                        i,
                        "id",
                        message=f"target id {t.id} is already used on line {line}; "
                        "policies name targets by id, so each must be unique",
                    )
                )
            declared.setdefault(t.id, (item, i))
    judged = not indicators.unreadable and not indicators.failed
    set_by: dict[str, tuple[str, int]] = {}
    for item in policies:
        for i, target in enumerate(item.record.targets):
            if target in set_by:
                other, line = set_by[target]
                out.append(
                    item.problem(
                        "targets",
                        i,
                        message=f"target {target} is already set by policy {other} (line "
                        f"{line}); a target is set by one policy",
                    )
                )
            elif target in declared:
                out += _due_after_it_was_set(*declared[target], item, i)
            elif judged:
                hint = did_you_mean(target, declared) or (
                    "targets are declared under an indicator in indicators.yaml"
                )
                known.unknowns.add(
                    item, ("targets", i), target, f"unknown target '{target}'; {hint}"
                )
            set_by.setdefault(target, (item.record.id, item.locate("targets", i)))
    return out


def _due_after_it_was_set(indicator: Item, i: int, policy: Item, j: int) -> list[Problem]:
    """A target (the ``i``th of an indicator) is not due before the policy that sets it (naming
    it ``j``th) was published: its deadline ends on or after the policy's date begins."""
    t, p = indicator.record.targets[i], policy.record
    if t.deadline is None or fields.period_end(t.deadline) >= fields.period_start(p.date):
        return []
    return [
        indicator.problem(
            "targets",
            i,
            "deadline",
            message=f"the deadline {t.deadline} ends before policy {p.id}, which sets the target, "
            f"was published ({p.date}, {policy.path} line {policy.locate('targets', j)}); "
            "correct the deadline, or the policy that names the target",
        )
    ]


def table_shapes(
    items: list[Item], registry: dict[str, s.Indicator], known: Known
) -> list[Problem]:
    out = []
    for item, ind in _measuring(items, registry, known):
        t = item.record
        for field in ("rows", "groups"):
            b = getattr(t, field)
            if b and b not in ind.breakdowns:
                out.append(
                    item.problem(field, message=f"indicator {ind.id} has no '{b}' breakdown")
                )
        for i, printed in enumerate(t.printed):
            if printed.period not in t.periods:
                out.append(
                    item.problem(
                        "printed",
                        i,
                        "period",
                        message=f"'{printed.period}' is not one of the table's periods "
                        f"({', '.join(t.periods)})",
                    )
                )
            if printed.group and (
                not t.groups
                or t.groups not in ind.breakdowns
                or printed.group not in ind.breakdowns[t.groups].values
            ):
                out.append(
                    item.problem(
                        "printed",
                        i,
                        "group",
                        message=f"'{printed.group}' is not a group of the table",
                    )
                )
    return out


def table_totals(
    items: list[Item], registry: dict[str, s.Indicator], observations: list[Item]
) -> list[Problem]:
    """The report's printed totals against the sums of their component rows."""
    import pandas as pd

    from mhwkb.tables import component_lines, totals

    columns = [*s.OBSERVATION_COLUMNS, "line"]
    out = []
    for item in items:
        t = item.record
        obs = pd.DataFrame(
            [
                {**o.record.model_dump(), "line": o.locate()}
                for o in observations
                if o.record.indicator == t.indicator
            ],
            columns=columns,
        )
        computed = totals(t, registry[t.indicator], obs)
        without = []
        for i, printed in enumerate(t.printed):
            got = computed.get((printed.period, printed.group))
            what = f"{printed.period} {printed.group or 'total'}"
            lines = component_lines(t, printed.period, printed.group, obs)
            if got is None or not lines:
                without.append(what)
            elif abs(got - printed.value) > printed.tolerance:
                out.append(
                    item.problem(
                        "printed",
                        i,
                        "value",
                        message=(
                            f"the report prints {printed.value:,.0f} for {what} but the component "
                            f"rows add up to {got:,.0f} ({catalog.OBSERVATIONS} lines "
                            f"{lines[0]}-{lines[-1]})"
                        ),
                    )
                )
        if without:
            out.append(
                item.problem(
                    "printed",
                    message=f"no component rows in {catalog.OBSERVATIONS} for {', '.join(without)}",
                )
            )
    return out
