"""Copy the data into the built site so every page can link to the files it is built from,
and keep the site's own scripts and styles current."""

import shutil
from pathlib import Path

from mhwkb.paths import DATA, ROOT

# The book's own static files and where the site keeps them (``html_static_path`` and
# ``html_extra_path`` in _config.yml).
STATIC = {ROOT / "_static": Path("_static"), ROOT / "_assets": Path()}


def sync_static(site: str | Path) -> list[str]:
    """Copy each of the book's scripts and styles whose bytes differ from the built site's.

    Sphinx copies static files only when it writes a page: an edit to a style alone would
    otherwise never reach the site. Returns the files copied."""
    copied = []
    for folder, into in STATIC.items():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            target = Path(site) / into / path.relative_to(folder)
            if not target.exists() or target.read_bytes() != path.read_bytes():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
                copied.append(target.relative_to(site).as_posix())
    return copied


def publish(site: str | Path) -> None:
    """Copy data/ (CSV, YAML, BibTeX, datapackage.json, CHANGELOG) to ``site``/data, write
    each indicator's observations as a CSV of their own, and copy the book's scripts and styles
    that changed to their places."""
    sync_static(site)
    target = Path(site) / "data"
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(DATA.iterdir()):
        if path.suffix in {".csv", ".yaml", ".bib", ".json", ".md"}:
            shutil.copy2(path, target / path.name)
    from mhwkb.data import indicators
    from mhwkb.indicator_charts import all_observations_csv, all_observations_path
    from mhwkb.tracker_pages import recommendations_json

    (target / "recommendations.json").write_text(recommendations_json(), encoding="utf-8")
    for ind in indicators().values():
        path = Path(site) / all_observations_path(ind.id)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(all_observations_csv(ind), encoding="utf-8")
