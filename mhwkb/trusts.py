"""Which organisations make up a cluster of NHS trusts (the mental health trusts), then and now.

``data/trusts.yaml`` lists each trust of a cluster by its organisation code, and each earlier
trust with the dated changes that made it part of one (a merger, an acquisition). Following
``became`` from an earlier code leads to the trust that holds it today, so the staff of an
earlier release can be counted for the same organisations as today's. The clusters are NHS
England's, as the latest release of a source that classifies organisations prints them
(``classifies`` in ``data/sources.yaml``); the validator checks the file against it.
"""

import csv
import io
from collections.abc import Mapping
from functools import lru_cache

from mhwkb import bodies
from mhwkb import schemas as s
from mhwkb.parse import Item
from mhwkb.problems import Problem


def holder(code: str, trusts: Mapping[str, s.Trust]) -> str:
    """The code of the trust that holds ``code``'s organisation today."""
    return bodies.chain(code, trusts)[-1]


def codes(trusts: Mapping[str, s.Trust]) -> dict[str, set[str]]:
    """For each cluster, every code that is, or became part of, a trust in it."""
    out: dict[str, set[str]] = {}
    for code in trusts:
        now = trusts.get(holder(code, trusts))
        if now is not None and now.cluster:
            out.setdefault(now.cluster, set()).add(code)
    return out


@lru_cache(maxsize=4)
def classified(text: str, code_column: str, cluster_column: str) -> dict[str, tuple[str, str]]:
    """Code -> cluster, from the text of a release that classifies organisations (read once
    per text: every validation asks)."""
    out = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        code, cluster = row.get(code_column, ""), row.get(cluster_column, "")
        if code and cluster:
            out[code] = cluster
    return out


def check(
    items: list[Item], in_release: dict[str, str] | None, release: str, counted: set[str]
) -> list[Problem]:
    """Each change names a listed trust other than itself, no chain loops, and the clusters
    agree with the release that classifies organisations (``in_release``: code -> cluster):
    every trust the release puts in a cluster the data counts (``counted``) is listed."""
    out = []
    trusts = {i.record.id: i.record for i in items}
    for item in items:
        t = item.record
        for i, change in enumerate(t.changes):
            if change.became == t.id:
                out.append(
                    item.problem("changes", i, "became", message="a trust cannot become itself")
                )
            elif change.became and change.became not in trusts:
                out.append(
                    item.problem(
                        "changes",
                        i,
                        "became",
                        message=f"no trust {change.became} in data/trusts.yaml; list the trust it "
                        "became, with its cluster",
                    )
                )
        try:
            bodies.chain(t.id, trusts)
        except ValueError as loop:
            if str(loop).startswith(t.id):
                out.append(
                    item.problem("changes", message=f"the changes lead round in a loop ({loop})")
                )
    if in_release is None:
        return out
    for item in items:
        t = item.record
        if t.cluster and in_release.get(t.id) != t.cluster:
            where = f"in the {in_release[t.id]} cluster" if t.id in in_release else "not in it"
            out.append(
                item.problem(
                    "cluster",
                    message=f"{release} puts {t.id} {where}, not in {t.cluster}",
                )
            )
    for code, cluster in sorted(in_release.items()):
        if cluster in counted and code not in trusts:
            out.append(
                Problem(
                    items[0].path if items else "data/trusts.yaml",
                    1,
                    "(file)",
                    f"{release} puts {code} in the {cluster} cluster, but data/trusts.yaml does "
                    "not list it",
                )
            )
    return out
