"""Links to records: a record found by its kind and key, its title, and the URL or MyST link
to where it is shown. Above the loaders (``mhwkb.data``) and the registry of kinds
(``mhwkb.kinds``), which know nothing of pages.
"""

from mhwkb.data import indicator, indicators, record, records
from mhwkb.kinds import KINDS, anchor, page_href
from mhwkb.markup import MyST, myst


def lookup(kind: str, key):
    """The record of ``kind`` whose key (its id, or number) is ``key``."""
    k = KINDS[kind]
    if kind == "indicator":
        return indicator(key)
    return record(k.file, key if k.key == "id" else int(key), by=k.key)


def all_records(kind: str) -> list:
    """Every record of ``kind``, in file order."""
    return list(indicators().values()) if kind == "indicator" else records(KINDS[kind].file)


def title(kind: str, key) -> str:
    """The display title of a linked record."""
    return KINDS[kind].title(lookup(kind, key))


def href(kind: str, key, depth: int = 0) -> str:
    """A relative URL, from a page ``depth`` folders below chapters/, to a record's place.

    A record with a page of its own is linked to the page; others to their anchor on it.
    """
    k = KINDS[kind]
    page = k.page_of(lookup(kind, key))
    if page is None:
        raise ValueError(f"records of kind {kind!r} are not shown on any page")
    target = page_href(page, depth)
    return target if k.generated else f"{target}#{k.anchor_of(key)}"


def link(kind: str, key, text: str | None = None) -> MyST:
    """A MyST link to a record, resolved and checked by Sphinx (``-n``) at build time."""
    label = myst(title(kind, key) if text is None else text)
    return MyST(f"[{label}](#{anchor(kind, key)})")
