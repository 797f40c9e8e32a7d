"""What a link may point at: the ids of each kind of record, and which links cannot be judged
because their target failed its own checks; links to nothing are collected and reported once
per file and value, at the first use."""

import difflib

from mhwkb.parse import Item, Records
from mhwkb.problems import Problem


class Unknowns:
    """Links to what does not exist, reported once per file and value, at the first use."""

    def __init__(self):
        self.uses: dict[tuple, tuple[str, list]] = {}

    def add(self, item: Item, loc: tuple, value, message: str) -> None:
        self.uses.setdefault((item.path, message, str(value)), (message, []))[1].append((item, loc))

    def problems(self) -> list[Problem]:
        out = []
        for message, uses in self.uses.values():
            item, loc = uses[0]
            lines = sorted({i.locate(*at) for i, at in uses} - {item.locate(*loc)})
            if lines:
                shown = ", ".join(map(str, lines[:5])) + (", …" if len(lines) > 5 else "")
                message += f" (also used on {len(lines)} more line(s): {shown})"
            out.append(item.problem(*loc, message=message))
        return out


def did_you_mean(value, ids) -> str:
    """``did you mean 'x' or 'y'?`` for the ids closest to a mistyped one; blank if none is."""
    like = difflib.get_close_matches(str(value), sorted(ids), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(repr(x) for x in like)}?" if like else ""


class Known:
    """The ids each kind of record has, and which links cannot be judged (their target failed)."""

    def __init__(self, parsed: dict[str, Records], chapters: set[str], unknowns: Unknowns):
        self.unknowns = unknowns
        self.ids = {k: {i.record.id for i in r.items} for k, r in parsed.items()}
        self.failed = {k: {str(f) for f in r.failed} for k, r in parsed.items()}
        self.unreadable = {k for k, r in parsed.items() if r.unreadable}
        self.chapters = chapters

    def judged(self, kind: str, value) -> bool:
        """Whether a link to ``value`` can be judged: its file was read and it did not fail."""
        return kind not in self.unreadable and str(value) not in self.failed[kind]

    def missing(self, item: Item, loc: tuple, kind: str, value, what: str = "") -> None:
        """Note a link to ``value`` among the ``kind`` records if there is none (reported later)."""
        if value in self.ids[kind] or not self.judged(kind, value):
            return
        known = ", ".join(sorted(self.ids[kind])) or "none yet"
        hint = did_you_mean(value, self.ids[kind]) or f"known: {known}"
        what = what or kind.removesuffix("s").replace("_", " ")
        self.unknowns.add(item, loc, value, f"unknown {what} '{value}'; {hint}")
