"""The one place that knows where the project's files live."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CHAPTERS = ROOT / "chapters"
BIB = DATA / "references.bib"


def relative(path: Path) -> str:
    """A path as shown to people: relative to the project root where possible."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)
