"""Answers kept between runs in ``_build/.cache/kept``: a JSON object per kind of answer, from
a digest of everything an answer depends on (its input and the code that computes it) to the
answer (pickled instead when the file's name ends in ``.pickle``, for answers that are Python
objects). A file is written whole, so parallel runs never see half of it; a missing or
unreadable file is an empty one."""

import hashlib
import json
import os
import pickle
import shutil
from pathlib import Path

from mhwkb.paths import ROOT

CACHE = ROOT / "_build" / ".cache" / "kept"


def digest(*parts: str) -> str:
    """One key for all of ``parts``."""
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def _pickled(name: str) -> bool:
    return name.endswith(".pickle")


def load(name: str) -> dict:
    try:
        data = (CACHE / name).read_bytes()
        return pickle.loads(data) if _pickled(name) else json.loads(data)
    # A pickle made by other versions of the classes it holds may name what is gone.
    except (OSError, ValueError, EOFError, AttributeError, ImportError, pickle.UnpicklingError):
        return {}


def save(name: str, answers: dict) -> None:
    data = pickle.dumps(answers) if _pickled(name) else json.dumps(answers).encode("utf-8")
    write_whole(CACHE / name, data)


def save_used(name: str, used: dict, in_file: set[str]) -> None:
    """Keep under ``name`` the answers a run used, and only those, when they are not what the
    file holds (``in_file``, brought up to date): the file never grows past its input."""
    if set(used) != in_file:
        save(name, used)
        in_file.clear()
        in_file.update(used)


def write_whole(path: Path, data: bytes) -> None:
    """Write ``path`` whole, so a run beside this one never reads half of it. The temporary
    file is written outside the file's folder, so a copy of the folder never meets it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.parent.parent / f"{path.parent.name}-{path.name}.{os.getpid()}.tmp"
    temporary.write_bytes(data)
    os.replace(temporary, path)


def copy_to(root: Path) -> None:
    """Give another copy of the project (at ``root``) the answers kept here: they are keyed by
    content, so they hold there too."""
    if CACHE.is_dir():
        shutil.copytree(CACHE, root / CACHE.relative_to(ROOT), dirs_exist_ok=True)
