"""Re-execute chapter notebooks whose inputs changed, deterministically and in place.

A chapter is stale when its code, the package's code, or any data it read last time has
changed. What each chapter read (traced by ``mhwkb.data``) and the digests of those parts are
kept beside the notebooks in ``chapters/stamps.json``, so a data edit re-runs exactly the
chapters that use the edited figures, and a no-change refresh runs nothing. Outputs carry no
timings and no random ids, and the stamps are not in the notebook, so a notebook is rewritten
only when its outputs really change.

Chapters run in this process, in a fresh IPython namespace each, with the same display
formatters a Jupyter kernel uses: no kernel start per chapter. nbval re-executes every
chapter in a real kernel and compares with the stored outputs, so any difference between
the two ways of running fails the tests.
"""

import contextlib
import csv
import hashlib
import io
import json
import os
import signal
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import NamedTuple

import nbformat
import yaml
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from mhwkb.bibliography import chunks, without_trailing_comments
from mhwkb.changelog import read_changelog
from mhwkb.paths import CHAPTERS, ROOT, relative

PACKAGE = Path(__file__).resolve().parent
# Modules that chapters never run (build, check and CLI tools): editing them re-runs nothing.
# Any other module, including a new one, counts as chapter code.
CELL_TIMEOUT = 120  # seconds; a cell that runs longer stops the refresh
NOT_CHAPTER_CODE = {
    "cli",
    "dictionary",
    "diff",
    "importer",
    "indicator_charts",
    "indicator_data",
    "known",
    "pages",
    "provenance",
    "publish",
    "refresh",
    "release",
    "sphinx_ext",
    "tracker_pages",
    "validate",
    "validate_measures",
    "validate_records",
    "__main__",
}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@cache
def _chapter_code() -> list[str]:
    """The package modules chapters run and the templates they render, read once per process."""
    modules = [p for p in sorted(PACKAGE.glob("*.py")) if p.stem not in NOT_CHAPTER_CODE]
    return [p.read_text(encoding="utf-8") for p in modules + sorted(PACKAGE.glob("templates/*"))]


def code_digest(nb) -> str:
    """Digest of the notebook's code cells and of the package that renders their outputs."""
    parts = [c.source for c in nb.cells if c.cell_type == "code"] + _chapter_code()
    return _digest("\0".join(parts).encode())


@cache
def _parsed(path: Path, mtime_ns: int, size: int):
    """A data file parsed once per version (stale checks ask for many parts of the same file)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".csv":
        return list(csv.reader(io.StringIO(text)))
    if path.suffix == ".md":  # the changelog: its newest release
        releases, _ = read_changelog(path)
        return [{"release": "latest", "version": r.version, "date": r.date} for r in releases[:1]]
    if path.suffix == ".bib":  # the bibliography: each entry's text by key
        return [  # an entry's text, without the comments and blank lines that follow it
            {"key": key, "entry": without_trailing_comments(chunk)}
            for _, _, key, chunk in chunks(text)
        ]
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or []


def file_digest(rel: str) -> str | None:
    """Digest of what a chapter read: a whole file, or the part named after ``#column=value``
    (a row or record; ``#key=`` an entry of the bibliography; ``#release=latest`` the newest
    release heading of the changelog)."""
    name, _, part = rel.partition("#")
    path = ROOT / name
    if not path.exists():
        return None
    if not part:
        return _digest(path.read_bytes())
    column, _, value = part.partition("=")
    stat = path.stat()
    parsed = _parsed(path, stat.st_mtime_ns, stat.st_size)
    if path.suffix == ".csv":
        header = parsed[0] if parsed else []
        index = header.index(column) if column in header else None
        chosen = [header] + [
            r for r in parsed[1:] if index is not None and len(r) > index and r[index] == value
        ]
        return _digest(json.dumps(chosen).encode())
    chosen = [i for i in parsed if isinstance(i, dict) and str(i.get(column)) == value]
    return _digest(json.dumps(chosen, sort_keys=True, default=str).encode())


STAMPS = "stamps.json"  # beside the notebooks: what each one read when it last ran
STAMPS_ABOUT = (
    "Written by `mhwkb refresh`: for each chapter, the digest of its code and of the package "
    "code it runs, and of every part of the data it read when it last ran. A chapter is run "
    "again when one of them changes."
)


def read_stamps(folder: Path) -> dict[str, dict]:
    """Each chapter's stamp by notebook name (none before the first refresh)."""
    path = folder / STAMPS
    return json.loads(path.read_bytes())["chapters"] if path.exists() else {}


def write_stamps(folder: Path, stamps: dict[str, dict]) -> None:
    """Store the stamps, touching the file only when they changed."""
    path = folder / STAMPS
    text = json.dumps({"about": STAMPS_ABOUT, "chapters": stamps}, indent=1, sort_keys=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text + "\n":
        path.write_text(text + "\n", encoding="utf-8")


def stale_reason(path: Path) -> str | None:
    """Why a chapter must be re-executed, or None when its stored outputs are current."""
    nb = nbformat.read(path, as_version=4)
    stamp = read_stamps(path.parent).get(path.name)
    if not stamp:
        return "never executed by mhwkb refresh"
    if stamp.get("code") != code_digest(nb):
        return "its code or the mhwkb package changed"
    for rel, digest in stamp.get("inputs", {}).items():
        if file_digest(rel) != digest:
            return f"{rel} changed"
    return None


class _Publisher(DisplayPublisher):
    """Collects display() calls (charts, tables, glue) as notebook outputs."""

    def __init__(self, outputs: list):
        super().__init__()
        self.outputs = outputs

    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
        self.outputs.append(
            nbformat.v4.new_output("display_data", data=data, metadata=metadata or {})
        )

    def clear_output(self, wait=False):
        self.outputs.clear()


class _ResultHook(DisplayHook):
    """Collects a cell's last value as an execute_result, numbered as a kernel numbers it."""

    outputs: list = []

    def start_displayhook(self):
        pass

    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.outputs.append(
            nbformat.v4.new_output(
                "execute_result",
                data=format_dict,
                metadata=md_dict or {},
                execution_count=self.shell.execution_count - 1,
            )
        )

    def log_output(self, format_dict):
        pass

    def finish_displayhook(self):
        pass

    def flush(self):
        """Forget the last chapter's results (``reset`` then clears the namespace) without the
        full garbage collection IPython's own runs: about 0.1 s per chapter."""
        self._, self.__, self.___ = "", "", ""


def _shell(outputs: list) -> InteractiveShell:
    config = Config()
    config.HistoryManager.enabled = False  # no history database in the user's home
    shell = InteractiveShell.instance(config=config)
    hook = _ResultHook(shell=shell)
    hook.outputs = outputs
    shell.displayhook = shell.display_trap.hook = hook
    shell.reset(new_session=True)
    shell.execution_count = 1
    shell.display_pub = _Publisher(outputs)
    shell.display_formatter.active_types = shell.display_formatter.format_types
    return shell


@contextlib.contextmanager
def _time_limit(path: Path, index: int):
    """Interrupt a cell that runs longer than CELL_TIMEOUT (as a kernel client's timeout would)."""

    def expire(signum, frame):
        raise TimeoutError(f"{relative(path)}: cell {index} ran longer than {CELL_TIMEOUT} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(CELL_TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Run(NamedTuple):
    rewritten: bool  # whether its outputs changed, so the notebook was written
    stamp: dict  # what it read and the digests of its code and of those parts


def _keep_stored_drawings(nb) -> None:
    """The charts a chapter showed last time, kept to be reused by the run about to start."""
    from mhwkb.charts import keep_drawings  # altair and pandas: only when a chapter runs

    for cell in nb.cells:
        for output in cell.get("outputs", []):
            keep_drawings(output.get("data", {}).get("text/html", ""))


def execute(path: Path) -> Run:
    """Execute one chapter in its folder; write it back only if its outputs changed."""
    original = path.read_bytes()
    nb = nbformat.reads(original.decode("utf-8"), as_version=4)
    _keep_stored_drawings(nb)
    outputs: list = []
    shell = _shell(outputs)
    here = os.getcwd()
    with tempfile.NamedTemporaryFile("r", suffix=".trace", delete=False) as trace:
        os.environ["MHWKB_TRACE"] = trace.name
        os.chdir(path.parent)
        try:
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                outputs.clear()
                out, err = io.StringIO(), io.StringIO()
                with (
                    contextlib.redirect_stdout(out),
                    contextlib.redirect_stderr(err),
                    _time_limit(path, i),
                ):
                    result = shell.run_cell(cell.source, store_history=True, silent=False)
                failure = result.error_before_exec or result.error_in_exec
                if failure is not None:
                    raise RuntimeError(
                        f"{relative(path)}: cell {i} raised {failure!r}"
                    ) from failure
                if err.getvalue():
                    raise RuntimeError(
                        f"{relative(path)}: cell {i} wrote to stderr:\n{err.getvalue()}"
                    )
                streams = (
                    [nbformat.v4.new_output("stream", name="stdout", text=out.getvalue())]
                    if out.getvalue()
                    else []
                )
                cell.outputs = streams + list(outputs)
                cell.execution_count = shell.execution_count - 1
                cell.metadata.pop("execution", None)
        finally:
            os.chdir(here)
            del os.environ["MHWKB_TRACE"]
            inputs = sorted(set(Path(trace.name).read_text(encoding="utf-8").split()))
            os.unlink(trace.name)
    stamp = {"code": code_digest(nb), "inputs": {r: file_digest(r) for r in inputs}}
    text = nbformat.writes(nb) + "\n"
    if text.encode("utf-8") == original:
        return Run(False, stamp)
    path.write_text(text, encoding="utf-8")
    return Run(True, stamp)


def chapters() -> list[Path]:
    return sorted(CHAPTERS.glob("*.ipynb"))


def main(names: list[str], force: bool = False, check: bool = False) -> int:
    paths = [Path(n).resolve() for n in names] or chapters()
    todo = [(p, "requested" if force else stale_reason(p)) for p in paths]
    todo = [(p, why) for p, why in todo if why]
    for p, why in todo:
        print(f"{'stale' if check else 'executing'}: {relative(p)} ({why})", file=sys.stderr)
    if check:
        return 1 if todo else 0
    rewritten = 0
    for folder in sorted({p.parent for p, _ in todo}):
        stamps = read_stamps(folder)
        try:  # a chapter that fails keeps its old stamp; those run before it keep their new one
            for p, _ in todo:
                if p.parent == folder:
                    run = execute(p)
                    stamps[p.name] = run.stamp
                    rewritten += run.rewritten
        finally:
            write_stamps(folder, stamps)
    print(
        f"refresh: {len(todo)} of {len(paths)} chapter(s) executed, {rewritten} rewritten",
        file=sys.stderr,
    )
    return 0
