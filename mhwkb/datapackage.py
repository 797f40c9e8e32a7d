"""The Frictionless data package descriptor of ``data/``, generated from the schemas.

``python -m mhwkb datapackage`` rewrites ``data/datapackage.json``; a test fails when the
committed file differs from what the schemas and ``data/CHANGELOG.md`` produce.
"""

import json
import re
import typing

from mhwkb import catalog
from mhwkb.paths import DATA

CHANGELOG = DATA / "CHANGELOG.md"
DESCRIPTOR = DATA / "datapackage.json"


def changelog() -> str:
    """The data changelog's text (a chapter that shows it is re-run when it changes)."""
    from mhwkb.data import _use

    _use(CHANGELOG.name)
    return CHANGELOG.read_text(encoding="utf-8")


def data_version() -> tuple[str, str]:
    """The newest ``## version (date)`` heading of data/CHANGELOG.md."""
    m = re.search(r"^## (\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2})\)", changelog(), re.M)
    if not m:
        raise ValueError(f"{CHANGELOG.name} has no '## X.Y.Z (YYYY-MM-DD)' heading")
    return m.group(1), m.group(2)


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
    version, date = data_version()
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
        "version": version,
        "created": date,
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
