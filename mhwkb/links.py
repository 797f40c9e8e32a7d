"""Where each kind of record is shown on the site, so any page can link to it."""

from mhwkb.data import record

FINDING_CHAPTERS = {1: "findings_recruitment", 2: "findings_structure", 3: "findings_culture"}


def anchor(kind: str, record_id: str) -> str:
    return f"{kind}-{record_id}".replace("_", "-")


def href(kind: str, record_id: str, depth: int = 0) -> str:
    """A relative link, from a page ``depth`` folders below chapters/, to a record's place."""
    up = "../" * depth
    if kind == "finding":
        page = FINDING_CHAPTERS[record("findings", record_id).part]
    elif kind == "box":
        page = record("boxes", record_id).chapter
    elif kind == "recommendation":
        return f"{up}recommendations/rec{int(record_id):02d}.html"
    elif kind == "indicator":
        return f"{up}indicators/{record_id}.html"
    elif kind == "organisation":
        return f"{up}recommendations/by_addressee.html#{anchor(kind, record_id)}"
    else:
        page = {
            "case_study": "case_studies",
            "table": "current_workforce",
            "related_study": "related_evidence",
            "development": "wider_developments",
            "policy": "policy_context",
        }[kind]
    return f"{up}{page}.html#{anchor(kind, record_id)}"


def title(kind: str, record_id: str) -> str:
    """The display title of a linked record."""
    if kind == "indicator":
        from mhwkb.data import indicator

        return indicator(record_id).title
    if kind == "recommendation":
        from mhwkb.data import records

        rec = next(r for r in records("recommendations") if r.number == int(record_id))
        return f"Recommendation {rec.number}: {rec.title}"
    files = {
        "finding": "findings",
        "case_study": "case_studies",
        "table": "tables",
        "box": "boxes",
        "related_study": "related_studies",
        "development": "developments",
        "policy": "policies",
    }
    r = record(files[kind], record_id)
    if kind == "table":
        return f"{r.label}: {r.title}"
    if kind == "case_study":
        return f"Case study {r.number}: {r.title}"
    return r.title
