"""Shared fixtures: a throwaway copy of the project, and running commands inside it."""

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
COPIED = ["_config.yml", "_toc.yml", "_static", "chapters", "data", "mhwkb", "pyproject.toml"]


def needs_shared(path: Path) -> Path:
    """A path under ../shared: skip with a reason when absent, fail when CI=true requires it."""
    if path.exists():
        return path
    reason = f"{path} is absent: this check needs the shared source documents beside the project"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (not .venv or _build) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
            )
        else:
            shutil.copy2(src, dest / name)
    return dest


def run(args: list[str], cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
    """Run a command with the project copy at ``cwd`` first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def mhwkb(cwd: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "mhwkb", *args], cwd, check=check)


def build_book(cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Exactly what `make book` runs: validate, refresh, generate pages, strict build, publish."""
    return mhwkb(cwd, "build", check=check)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One strict build of an unmodified copy, shared by read-only checks of the site.

    The build is made once per test run, not once per xdist worker: the first worker to need
    it builds it (the others wait on a lock) in the folder all workers' temporary folders share.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    project = shared / "built" / "project"
    with open(shared / "built.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (project / "_build/html/.built").exists():
            shutil.rmtree(project.parent, ignore_errors=True)
            copy_project(project)
            result = build_book(project)
            assert "warning" not in result.stderr.lower(), result.stderr
            (project / "_build/html/.built").touch()
    return project
