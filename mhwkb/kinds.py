"""The registry of record kinds: for each, its data file, schema, page, anchor, title and
how other records link to it (``mhwkb.links`` finds a record and makes the link). The
loaders, the validator, the data diff, the data package, the templates and the generated
pages all read this one table.

Adding a kind of record is one ``Kind`` entry here plus its template in
``mhwkb/templates/`` (see CONTRIBUTING.md, "Adding a new kind of record").
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from mhwkb import recommendation_schema, sources
from mhwkb import schemas as s
from mhwkb.markup import MyST, myst

_ANCHOR = re.compile(r"^[a-z][a-z0-9-]*$")
_CITE_KEY = re.compile(r"^[A-Za-z0-9_:.+/-]+$")


@dataclass(frozen=True)
class Kind:
    name: str  # singular, as in an evidence link's ``kind`` and in anchors: "case_study"
    file: str  # the YAML file's stem under data/: "case_studies"
    schema: type
    page: str | Callable | None  # the page showing a record: "case_studies", or f(record) -> page
    title: Callable = lambda r: r.title  # how a link to a record reads
    key: str = "id"  # the field that identifies a record ("number" for recommendations)
    anchor: str | None = None  # the anchor prefix; default: the name with hyphens
    linkable: bool = False  # may be the target of an evidence link (``Link.kind``)
    template: str | None = None  # template rendering one record, in mhwkb/templates/
    generated: bool = False  # one page per record, written from ``template`` by mhwkb.pages

    @property
    def prefix(self) -> str:
        return self.anchor or self.name.replace("_", "-")

    def anchor_of(self, key) -> MyST:
        anchor = f"{self.prefix}-{key}".replace("_", "-")
        if not _ANCHOR.match(anchor):
            raise ValueError(f"{anchor!r} is not an anchor: ids are lower case letters, digits, _")
        return MyST(anchor)

    def page_of(self, record) -> str | None:
        """The page (relative to chapters/, no suffix) that shows ``record``."""
        return self.page(record) if callable(self.page) else self.page


FINDING_CHAPTERS = {1: "findings_recruitment", 2: "findings_structure", 3: "findings_culture"}
TIMELINE = "recommendations/timeline"  # the generated timeline of what came after the report
DASHBOARD = "recommendations/dashboard"  # every recommendation's status and movement
BY_ADDRESSEE = "recommendations/by_addressee"  # the bodies addressed, then and now


def page_href(page: str, depth: int = 0) -> str:
    """A relative URL, from a page ``depth`` folders below chapters/, to a page."""
    return "../" * depth + page + ".html"


def _policy_page(r) -> str:
    """The report's policies are shown in its policy chapter, later ones on the timeline."""
    return "policy_context" if r.in_report else TIMELINE


_LIST = [
    Kind("indicator", "indicators", s.Indicator, lambda r: f"indicators/{r.id}", linkable=True,
         template="indicator.md", generated=True),
    Kind("table", "tables", s.Table, "current_workforce", title=lambda r: f"{r.label}: {r.title}",
         linkable=True),
    Kind("quality_note", "quality_notes", s.QualityNote, lambda r: r.chapter, anchor="quality",
         template="quality_note.html"),
    Kind("organisation", "organisations", s.Organisation, BY_ADDRESSEE,
         title=lambda r: r.name),
    Kind("theme", "themes", s.Theme, "recommendations"),
    Kind("policy", "policies", s.Policy, _policy_page, linkable=True, template="policy.html"),
    Kind("milestone", "milestones", s.Milestone, TIMELINE, linkable=True),
    Kind("development", "developments", s.Development, "wider_developments", linkable=True,
         template="development.html"),
    Kind("consultation_event", "consultation_events", s.ConsultationEvent, None,
         title=lambda r: r.place),
    Kind("participant_group", "participant_groups", s.ParticipantGroup, None,
         title=lambda r: r.label),
    Kind("finding", "findings", s.Finding, lambda r: FINDING_CHAPTERS[r.part], linkable=True,
         template="finding.html"),
    Kind("box", "boxes", s.Box, lambda r: r.chapter, linkable=True, template="box.html"),
    Kind("case_study", "case_studies", s.CaseStudy, "case_studies", linkable=True,
         title=lambda r: f"Case study {r.number}: {r.title}", template="case_study.html"),
    Kind("related_study", "related_studies", s.RelatedStudy, "related_evidence", linkable=True,
         template="related_study.html"),
    Kind("recommendation", "recommendations", recommendation_schema.Recommendation,
         lambda r: f"recommendations/rec{r.number:02d}", key="number", anchor="rec",
         title=lambda r: f"Recommendation {r.number}: {r.title}", template="recommendation.md",
         generated=True),
    Kind("source", "sources", sources.Source, None),
    Kind("trust", "trusts", s.Trust, None, title=lambda r: r.name),
]  # fmt: skip
KINDS: dict[str, Kind] = {k.name: k for k in _LIST}
RECORD_FILES: dict[str, type] = {k.file: k.schema for k in _LIST if k.name != "indicator"}
LINKABLE = tuple(k.name for k in _LIST if k.linkable)


def anchor(kind: str, key) -> str:
    return KINDS[kind].anchor_of(key)


def cite_anchor(key: str) -> str:
    """The id sphinxcontrib-bibtex gives a reference (``bibtex_cite_id``, as docutils makes ids)."""
    return "cite-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def cite(key: str) -> MyST:
    """A citation of a bibliography key, linked and checked by sphinxcontrib-bibtex; a key
    that could not sit in a role safely is shown as text."""
    return MyST(f"{{cite:t}}`{key}`") if _CITE_KEY.match(key) else myst(key)


def doc(docname: str, text: str) -> MyST:
    """A MyST link to a page by its name (``chapters/about_data``), checked by Sphinx."""
    if not re.match(r"^[a-z0-9_/]+$", docname) or re.search(r"[`<>\\]", text):
        raise ValueError(f"not a page link: {docname!r} {text!r}")
    return MyST(f"{{doc}}`{text} </{docname}>`")


def anchor_prefixes() -> tuple[str, ...]:
    """Prefixes of the anchors records carry in HTML, registered as Sphinx labels."""
    return tuple(f"{k.prefix}-" for k in _LIST)
