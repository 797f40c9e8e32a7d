"""Bodies then and now: who holds an organisation's remit today, found by following its dated
changes (``became``) in ``data/organisations.yaml``."""

from collections.abc import Mapping

from mhwkb import schemas as s
from mhwkb.data import records


def by_id() -> dict[str, s.Organisation]:
    """Every organisation, by id."""
    return {o.id: o for o in records("organisations")}


def successor(org: s.Organisation) -> str | None:
    """The id of the body its remit passed to: the latest change that names one."""
    return next((c.became for c in reversed(org.changes) if c.became), None)


def chain(org_id: str, orgs: Mapping[str, s.Organisation]) -> list[str]:
    """The ids from ``org_id`` to the body that holds its remit today (itself when unchanged).

    Raises ``ValueError`` naming the loop when the changes lead back to a body already passed.
    """
    out = [org_id]
    while out[-1] in orgs and (nxt := successor(orgs[out[-1]])) is not None:
        if nxt in out:
            raise ValueError(" -> ".join([*out[out.index(nxt) :], nxt]))
        out.append(nxt)
    return out


def holder(org_id: str, orgs: Mapping[str, s.Organisation]) -> str:
    """The id of the body that holds ``org_id``'s remit today."""
    return chain(org_id, orgs)[-1]


def name_now(org_id: str, orgs: Mapping[str, s.Organisation]) -> str:
    """A body's name, with the body that holds its remit today when that is another:
    Health Education England (now NHS England)."""
    now = holder(org_id, orgs)
    name = orgs[org_id].name
    return name if now == org_id else f"{name} (now {orgs[now].name})"
