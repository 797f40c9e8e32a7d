"""Copy the data into the built site so every page can link to the files it is built from."""

import shutil
from pathlib import Path

from mhwkb.paths import DATA


def publish(site: str | Path) -> None:
    """Copy data/ (CSV, YAML, BibTeX, datapackage.json, CHANGELOG) to ``site``/data."""
    target = Path(site) / "data"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(DATA.iterdir()):
        if path.suffix in {".csv", ".yaml", ".bib", ".json", ".md"}:
            shutil.copy2(path, target / path.name)
    from mhwkb.pages import recommendations_json

    (target / "recommendations.json").write_text(recommendations_json(), encoding="utf-8")
