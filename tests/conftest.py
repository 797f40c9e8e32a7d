"""Shared fixtures: a throwaway copy of the project, running commands inside it, serving a
built site to the browser."""

import base64
import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


# The files that take longest, longest first: they start at once (those that need the shared
# build find it under way), and the quick files fill in around them, so no worker is left
# alone with a long file at the end of the run. The chapters' notebooks come second: they need
# no copy of the project, so the second worker starts on them while the first one prepares
# the shared build.
LONGEST_FIRST = [
    "test_hostile.py",
    "*.ipynb",
    "test_import.py",
    "test_browser_phone.py",
    "test_contributor.py",
    "test_browser.py",
    "test_validation.py",
]


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        return next(
            (i for i, name in enumerate(LONGEST_FIRST) if fnmatch(item.path.name, name)),
            len(LONGEST_FIRST),
        )

    items.sort(key=rank)


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
BUILD_TIMEOUT = 900  # seconds
_BUILDS: list[subprocess.Popen] = []


def copy_project(dest: Path) -> Path:
    """Copy what a build needs (not .venv or _build, but the answers kept by content) to
    ``dest``."""
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
    _warm_imported_cache()
    from mhwkb import kept

    kept.copy_to(dest)  # keyed by content: what the stored releases give, what references print
    return dest


def _warm_imported_cache() -> None:
    """Derive the stored releases once per clone (seconds for a large workbook), not once per
    copy: one worker does it while the others wait."""
    from mhwkb import imported, kept

    given = kept.CACHE / imported.CACHE
    if given.exists():
        return
    given.parent.mkdir(parents=True, exist_ok=True)
    with open(kept.CACHE.parent / "imported.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not given.exists():
            from mhwkb.validate import validate

            validate()


def run(args: list[str], cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
    """Run a command with the project copy at ``cwd`` first on the import path."""
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def git(project: Path, *args: str) -> None:
    """Run git in ``project`` as a throwaway author, without the user's configuration."""
    subprocess.run(
        ["git", "-C", str(project), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "PATH": "/usr/bin:/bin",
        },
    )


def mhwkb(cwd: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "mhwkb", *args], cwd, check=check)


def build_book(cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    """Exactly what `make book` runs: validate, refresh, generate pages, strict build, publish."""
    return mhwkb(cwd, "build", check=check)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


def _start_shared_build(tmp_path_factory, wait: bool = True) -> Path:
    """Start the one build of an unmodified copy that the whole run shares; return its folder.

    All xdist workers' temporary folders share a parent; the first worker to get there copies
    the project and starts `mhwkb build` in the background (the others find it started), so
    the workers test other things while it runs. ``build.status`` appears when it ends. Unless
    ``wait``, a worker that finds another one starting it goes on at once.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    folder = shared / "built"
    with open(shared / "built.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return folder  # being started by another worker
        if not folder.exists():
            project = copy_project(folder / "project")
            script = (
                f'"{sys.executable}" -m mhwkb build > ../build.out 2> ../build.err; '
                "echo $? > ../status.tmp && mv ../status.tmp ../build.status"
            )
            env = {**os.environ, "PYTHONPATH": str(project)}
            _BUILDS.append(subprocess.Popen(["sh", "-c", script], cwd=project, env=env))
    return folder


def pytest_sessionfinish(session):
    for build in _BUILDS:  # the worker that started the shared build waits for it to end
        build.wait()


@pytest.fixture(scope="session", autouse=True)
def _shared_build_starts_early(request, tmp_path_factory):
    shared = {"built_site", "built_in_place"}
    if any(shared & set(getattr(item, "fixturenames", ())) for item in request.session.items):
        _start_shared_build(tmp_path_factory, wait=False)


def _shared_build(tmp_path_factory) -> Path:
    """Wait for the shared build to end; its folder, once it has passed strictly."""
    folder = _start_shared_build(tmp_path_factory)
    status = folder / "build.status"
    deadline = time.monotonic() + BUILD_TIMEOUT
    while not status.exists():
        assert time.monotonic() < deadline, f"the shared build took over {BUILD_TIMEOUT} s"
        time.sleep(0.2)
    out, err = ((folder / f"build.{s}").read_text(encoding="utf-8") for s in ("out", "err"))
    assert status.read_text().strip() == "0", f"mhwkb build failed:\n{out}\n{err}"
    assert "warning" not in err.lower(), err
    return folder


def _readers_copy(folder: Path) -> Path:
    """A copy of the shared build for the checks that only read it, made once per run."""
    copy = folder / "read"
    with open(folder / "read.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not copy.exists():
            shutil.copytree(folder / "project", folder / "read.tmp", symlinks=True)
            (folder / "read.tmp").rename(copy)
    return copy


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """One strict build of an unmodified copy, shared by read-only checks of the site."""
    return _readers_copy(_shared_build(tmp_path_factory))


@pytest.fixture(scope="session")
def built_in_place(tmp_path_factory) -> Path:
    """The shared build's own folder, for the one test file that edits and rebuilds it (Sphinx
    keeps what it read only in the folder it built, so a rebuild there reads again only what
    changed). The readers' copy is made before it is handed over."""
    folder = _shared_build(tmp_path_factory)
    _readers_copy(folder)
    return folder / "project"


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


def site_pages(root: Path) -> list[str]:
    """Every page of a built site, as paths relative to its root (not the root's redirect)."""
    return [
        p.relative_to(root).as_posix()
        for p in sorted(root.rglob("*.html"))
        if "_static" not in p.parts and 'http-equiv="Refresh"' not in p.read_text(encoding="utf-8")
    ]


DOWNLOAD = re.compile(r'download="([^"]+)" href="([^"]+)"')


def offered_csvs(root: Path) -> dict[tuple[str, str], str]:
    """Every CSV a page of the built site offers to download, embedded in the page or a file of
    the site: (page, file name) -> text."""
    out = {}
    for rel in site_pages(root):
        for name, href in DOWNLOAD.findall((root / rel).read_text(encoding="utf-8")):
            if href.startswith("data:text/csv;base64,"):
                text = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
            else:
                text = ((root / rel).parent / href).resolve().read_text(encoding="utf-8")
            out[(rel, name)] = text
    return out


@pytest.fixture(scope="module")
def site(built_site):
    """The shared build's site, served on the loopback address: (folder, base URL)."""
    from mhwkb.localserver import serve

    root = built_site / "_build/html"
    with serve(root) as base:
        yield root, base


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def unkept_movements():
    """For a test that swaps the data ``mhwkb.since`` reads: no indicator's movement is kept
    from before it, or from it for the tests after it."""
    from mhwkb import since

    for kept in (since.movement, since._definitions):
        kept.cache_clear()
    yield
    for kept in (since.movement, since._definitions):
        kept.cache_clear()
