"""Benchmark the build on this machine: `make bench` (or `python scripts/bench.py [--no-test]`).

Works on a throwaway copy of the project (sharing this checkout's .venv) and prints a
Markdown table: clean build, no-op rebuild, rebuild after one CSV edit, after a new
bibliography entry alone, after a status entry, after a real contribution (one observation, one BibTeX entry, one
changelog release), an edit under Jupyter Book's own `execute_notebooks: force` as the
reference, `make test`, the weight of the heaviest page and, measured in Chromium, the first
load of the heaviest page with every shared script, style and font it fetches. Each timing also
gives the CPU seconds it used (the machine may be shared). Paste the table into README.md.
"""

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRACKED = [
    "_assets",
    "Makefile",
    "requirements.txt",
    "pyproject.toml",
    "_config.yml",
    "_toc.yml",
    "_static",
    "chapters",
    "data",
    "mhwkb",
    "tests",
    "scripts",
]
TARGETS = {
    "clean": 30,
    "noop": 2,
    "edit": 5,
    "bib": None,
    "status": None,
    "contribution": None,
    "test": 120,
}
RATIO = {"edit": 0.2, "bib": 0.2, "status": 0.2, "contribution": 0.2}  # of the reference


GENERATED = {"recommendations", "indicators", "indicators.md"}  # pages `make book` writes


def _not_copied(folder: str, names: list[str]) -> set[str]:
    """Caches, and the generated pages under chapters/ (a clean build writes them)."""
    generated = GENERATED if Path(folder).name == "chapters" else set()
    return {n for n in names if n == "__pycache__" or n in generated}


def copy(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in TRACKED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src,
                dest / name,
                ignore=_not_copied,
            )
        else:
            shutil.copy2(src, dest / name)
    os.symlink(ROOT / ".venv", dest / ".venv")
    return dest


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (of the command and every process it waited for)."""
    before = os.times()
    start = time.perf_counter()
    result = subprocess.run(
        cmd, cwd=cwd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(cwd)}
    )
    elapsed = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return elapsed, cpu


def newer_than_the_build() -> None:
    """Let the clock tick past the last build, so make sees the next edit as newer than the site."""
    time.sleep(0.1)


def edit_one_value(project: Path, old: str, new: str) -> None:
    """Change one cell of data/observations.csv: the FTE GPs of March 2016 (not part of a printed table)."""
    newer_than_the_build()
    obs = project / "data/observations.csv"
    text = obs.read_text(encoding="utf-8")
    row = f"gp_fte,,2016-03,,,,{old},"
    assert row in text, row
    obs.write_text(text.replace(row, f"gp_fte,,2016-03,,,,{new},"), encoding="utf-8")


def add_source(project: Path, key: str) -> None:
    """Append one BibTeX entry to data/references.bib."""
    newer_than_the_build()
    with open(project / "data/references.bib", "a", encoding="utf-8") as f:
        f.write(
            f"\n@misc{{{key},\n  author = {{{{Bench Body}}}},\n  title = {{Staff leavers}},\n  year = {{2018}}\n}}\n"
        )


def contribute(project: Path) -> None:
    """What CONTRIBUTING asks of a contributor: one observation, its source and a release."""
    add_source(project, "benchbody2018")
    with open(project / "data/observations.csv", "a", encoding="utf-8") as f:
        f.write("leaver_rate,,2016/17,,mental_health_trusts,,14.2,provisional,benchbody2018,,\n")
    log = project / "data/CHANGELOG.md"
    release = f"## 9.0.0 ({date.today().isoformat()})\n\n- The 2016/17 leaver rate.\n\n"
    log.write_text(log.read_text(encoding="utf-8").replace("## ", release + "## ", 1), "utf-8")


def revise_status_entry(project: Path) -> None:
    """A revised assessment: two words more in the note of the first recommendation's newest
    status entry (the last one before its response)."""
    newer_than_the_build()
    path = project / "data/recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    end = text.index("\n  response:")
    note = text.rindex("    note: >-\n", 0, end) + len("    note: >-\n      ")
    path.write_text(text[:note] + "Revised assessment. " + text[note:], encoding="utf-8")


def page_weights(site: Path) -> tuple[str, int, int]:
    """(heaviest page, its HTML + own assets in bytes, shared assets in bytes)."""
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts]
    assets = {}
    for p in pages:
        refs = re.findall(r'(?:src|href)="([^"#?]+)(?:\?[^"]*)?"', p.read_text(encoding="utf-8"))
        files = {
            (p.parent / r).resolve() for r in refs if not r.startswith(("http", "data:", "mailto:"))
        }
        assets[p] = {
            f
            for f in files
            if f.is_file() and f.suffix in {".js", ".css", ".svg", ".woff2", ".png"}
        }
    counts = {}
    for files in assets.values():
        for f in files:
            counts[f] = counts.get(f, 0) + 1
    shared = {
        f for f, n in counts.items() if n >= len(pages) / 2
    }  # theme and chart scripts, cached
    weight = {
        p: p.stat().st_size + sum(f.stat().st_size for f in assets[p] - shared) for p in pages
    }
    heaviest = max(weight, key=weight.get)
    return str(heaviest.relative_to(site)), weight[heaviest], sum(f.stat().st_size for f in shared)


def first_loads(site: Path, pages: list[str]) -> dict[str, int]:
    """Bytes Chromium fetches to show each page with an empty cache: the page and every script,
    style, font and image it loads (not what loads only when a reader interacts)."""
    from playwright.sync_api import sync_playwright

    from mhwkb.localserver import serve

    out = {}
    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--headless", "--no-sandbox"],
        )
        for rel in pages:
            context = browser.new_context()  # an empty cache
            page = context.new_page()
            sizes = []
            page.on("requestfinished", lambda r, s=sizes: s.append(r.sizes()["responseBodySize"]))
            page.goto(f"{base}/{rel}", wait_until="networkidle")
            out[rel] = sum(sizes)
            context.close()
        browser.close()
    return out


def heaviest_first_load(site: Path) -> tuple[str, int]:
    """The page whose first load weighs most, measured in Chromium over the heaviest candidates."""
    pages = [p for p in site.rglob("*.html") if "_static" not in p.parts]
    candidates = sorted(pages, key=lambda p: p.stat().st_size, reverse=True)[:5]
    loads = first_loads(site, [p.relative_to(site).as_posix() for p in candidates])
    name = max(loads, key=loads.get)
    return name, loads[name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--no-test", action="store_true", help="skip timing `make test`")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        project = copy(Path(tmp) / "project")
        # The copy shares this checkout's .venv: never let make reinstall it from the copy (-o),
        # which would point the editable install of mhwkb at the throwaway folder.
        make = ["make", "--no-print-directory", "-o", ".venv/.installed", "book"]
        rows.append(
            (
                "Clean build from nothing (`make book`, stored outputs current)",
                *timed(make, project),
                "clean",
            )
        )
        rows.append(("No-op rebuild (`make book`)", *timed(make, project), "noop"))
        edit_one_value(project, "34914", "34915")
        rows.append(("Rebuild after one CSV edit (`make book`)", *timed(make, project), "edit"))
        add_source(project, "benchsource")
        rows.append(
            (
                "Rebuild after a new bibliography entry alone (`make book`)",
                *timed(make, project),
                "bib",
            )
        )
        revise_status_entry(project)
        rows.append(
            (
                "Rebuild after a status entry is revised (`make book`)",
                *timed(make, project),
                "status",
            )
        )
        contribute(project)
        rows.append(
            (
                "Rebuild after a real contribution: one observation, one BibTeX entry, one "
                "changelog release (`make book`)",
                *timed(make, project),
                "contribution",
            )
        )
        # Reference: an edit under Jupyter Book's own execution, forced so the pages are right.
        config = project / "_config.yml"
        config.write_text(
            config.read_text(encoding="utf-8").replace(
                'execute_notebooks: "off"', 'execute_notebooks: "force"'
            ),
            encoding="utf-8",
        )
        edit_one_value(project, "34915", "34916")
        jb = str(project / ".venv/bin/jupyter-book")
        reference = timed([jb, "build", ".", "--all", "--quiet"], project)
        rows.append(
            ("Reference: an edit, `execute_notebooks: force`, full rebuild", *reference, None)
        )
        name, weight, shared = page_weights(project / "_build/html")
        first_name, first_load = heaviest_first_load(project / "_build/html")
    if not args.no_test:
        make_test = timed(["make", "--no-print-directory", "test"], ROOT)
        rows.append(("`make test`", *make_test, "test"))
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}, load average {os.getloadavg()[0]:.1f} at the end\n"
    )
    print(
        "| measure | seconds | CPU seconds | ratio to reference | target |\n"
        "| --- | --- | --- | --- | --- |"
    )
    for label, seconds, cpu, key in rows:
        targets = [f"<= {TARGETS[key]} s"] if key and TARGETS[key] else []
        if key in RATIO:
            targets.append(f"<= {RATIO[key]} x reference")
        print(
            f"| {label} | {seconds:.1f} | {cpu:.1f} | {seconds / reference[0]:.2f} | "
            f"{' and '.join(targets)} |"
        )
    print(
        f"| Heaviest page: `{name}` (HTML + own assets) | {weight / 1024:.0f} KB | | | <= 300 KB |"
    )
    print(f"| Shared scripts and styles (loaded once, cached) | {shared / 1024:.0f} KB | | | |")
    print(
        f"| First load of the heaviest page, `{first_name}`, with shared scripts, styles and "
        f"fonts (Chromium, empty cache) | {first_load / 1024:.0f} KB | | | <= 1,024 KB |"
    )


if __name__ == "__main__":
    main()
