"""Answers kept between runs in ``_build/.cache/kept``: a JSON object per kind of answer, from
a digest of everything an answer depends on (its input and the code that computes it) to the
answer. A file is written whole, so parallel runs never see half of it; a missing or unreadable
file is an empty one."""

import hashlib
import json
import os
import shutil
from pathlib import Path

from mhwkb.paths import ROOT

CACHE = ROOT / "_build" / ".cache" / "kept"


def digest(*parts: str) -> str:
    """One key for all of ``parts``."""
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def load(name: str) -> dict:
    try:
        return json.loads((CACHE / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save(name: str, answers: dict) -> None:
    path = CACHE / name
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = CACHE.parent / f"{name}.{os.getpid()}.tmp"  # outside: a copy never meets it
    temporary.write_text(json.dumps(answers), encoding="utf-8")
    os.replace(temporary, path)


def copy_to(root: Path) -> None:
    """Give another copy of the project (at ``root``) the answers kept here: they are keyed by
    content, so they hold there too."""
    if CACHE.is_dir():
        shutil.copytree(CACHE, root / CACHE.relative_to(ROOT), dirs_exist_ok=True)
