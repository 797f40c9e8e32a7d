"""The Frictionless data package descriptor of ``data/``, generated from the schemas.

``python -m mhwkb datapackage`` rewrites ``data/datapackage.json`` and the data dictionary
``data/DICTIONARY.md``; a test fails when the committed files differ from what the schemas
and ``data/CHANGELOG.md`` produce.
"""

import json
import typing

from mhwkb import catalog
from mhwkb.changelog import Release, read_changelog
from mhwkb.paths import DATA
from mhwkb.problems import DataError

CHANGELOG = DATA / "CHANGELOG.md"
DESCRIPTOR = DATA / "datapackage.json"


def latest_release() -> Release:
    """The newest release of data/CHANGELOG.md (``DataError`` when the changelog has a problem)."""
    releases, problems = read_changelog(CHANGELOG)
    if problems:
        raise DataError(problems)
    return releases[0]


def data_version() -> tuple[str, str]:
    """The data version and its date, from the newest release heading of data/CHANGELOG.md.

    A chapter that shows it is re-run when a release is added, not when older entries change.
    """
    from mhwkb.data import _use

    _use(CHANGELOG.name, "release", "latest")
    release = latest_release()
    return release.version, release.date.isoformat()


def changelog() -> str:
    """The whole changelog (a chapter that shows it is re-run when any of it changes)."""
    from mhwkb.data import _use

    _use(CHANGELOG.name)
    latest_release()
    return CHANGELOG.read_text(encoding="utf-8")


def _field(name: str, info) -> dict:
    ann = info.annotation
    field = {"name": name, "type": "number" if ann is float else "string"}
    if info.description:
        field["description"] = info.description
    constraints = {}
    if info.is_required():
        constraints["required"] = True
    if typing.get_origin(ann) is typing.Literal:
        constraints["enum"] = list(typing.get_args(ann))
    for meta in info.metadata:
        if getattr(meta, "pattern", None):
            constraints["pattern"] = meta.pattern
    if constraints:
        field["constraints"] = constraints
    return field


def descriptor() -> dict:
    release = latest_release()
    resources = []
    for name, (model, columns, _, description) in catalog.CSV_FILES.items():
        fields = [_field(c, model.model_fields[c]) for c in columns]
        resources.append(
            {
                "name": name.removesuffix(".csv"),
                "path": name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": description,
                "schema": {"fields": fields},
            }
        )
    yaml_files = {
        catalog.INDICATORS.removesuffix(".yaml"): "Indicator registry: metadata of every series."
    }
    yaml_files.update(
        {k: (m.__doc__ or k).strip().splitlines()[0] for k, m in catalog.RECORDS.items()}
    )
    for stem, description in yaml_files.items():
        resources.append(
            {
                "name": stem,
                "path": f"{stem}.yaml",
                "format": "yaml",
                "mediatype": "application/yaml",
                "encoding": "utf-8",
                "description": description,
            }
        )
    resources.append(
        {
            "name": "references",
            "path": "references.bib",
            "format": "bib",
            "mediatype": "application/x-bibtex",
            "encoding": "utf-8",
            "description": "Bibliography; every `source` value is a key of this file.",
        }
    )
    return {
        "name": "mental-health-workforce-england",
        "title": "The future of the mental health workforce: data",
        "version": release.version,
        "created": f"{release.date.isoformat()}T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "sources": [
            {"title": "The future of the mental health workforce (Centre for Mental Health, 2017)"}
        ],
        "resources": resources,
    }


def render() -> str:
    return json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n"


def write() -> bool:
    """Rewrite data/datapackage.json if it is out of date; True when it changed."""
    text = render()
    if DESCRIPTOR.exists() and DESCRIPTOR.read_text(encoding="utf-8") == text:
        return False
    DESCRIPTOR.write_text(text, encoding="utf-8")
    return True
