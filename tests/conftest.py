"""Shared fixtures: a throwaway copy of the project, running commands inside it, serving a
built site to the browser."""

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def needs_shared(path: Path) -> Path:
    """A path under ../shared: skip with a reason when absent, fail when CI=true requires it."""
    if path.exists():
        return path
    reason = f"{path} is absent: this check needs the shared source documents beside the project"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


COPIED = [
    "_config.yml",
    "_toc.yml",
    "_static",
    "_assets",
    "chapters",
    "data",
    "mhwkb",
    "pyproject.toml",
]


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (not .venv or _build) to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        src = ROOT / name
        if not src.exists():  # _assets before `make assets` has written the chart bundle
            continue
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
    """One strict build of an unmodified copy, shared by read-only checks of the site."""
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    result = build_book(project)
    assert "warning" not in result.stderr.lower(), result.stderr
    return project


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def needs_chromium() -> None:
    """Skip a browser test where Debian's chromium is missing; CI must have it."""
    if not Path(CHROMIUM).exists():
        reason = "Debian's chromium is not installed (make test installs it with apt where it can)"
        if os.environ.get("CI"):
            raise RuntimeError(f"{reason}; CI must run the browser tests")
        pytest.skip(reason)


@contextlib.contextmanager
def serve(root: Path):
    """Serve ``root`` on a free local port; yields its base URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def site_pages(root: Path) -> list[str]:
    """Every page of a built site, as paths relative to its root (not the root's redirect)."""
    return [
        p.relative_to(root).as_posix()
        for p in sorted(root.rglob("*.html"))
        if "_static" not in p.parts and not p.read_text(encoding="utf-8").startswith("<meta")
    ]
