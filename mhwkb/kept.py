"""Answers kept between runs in ``_build/.cache``: a JSON object from a digest of everything an
answer depends on (its input and the code that computes it) to the answer. A file is written
whole, so parallel runs never see half of it; a missing or unreadable file is an empty one."""

import hashlib
import json
import os

from mhwkb.paths import ROOT

CACHE = ROOT / "_build" / ".cache"


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
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(answers), encoding="utf-8")
    os.replace(temporary, path)
