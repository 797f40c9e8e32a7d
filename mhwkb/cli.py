"""Command line: ``python -m mhwkb validate | import | refresh | diff | build | ...``."""

import argparse
import sys

from mhwkb.paths import ROOT


def _validate() -> int:
    from mhwkb.validate import validate

    problems = validate()
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s) found" if problems else "data valid", flush=True)
    return 1 if problems else 0


def _build() -> int:
    """The whole of `make book` in one process: every step stops the build on failure."""
    from mhwkb import datapackage, dictionary, pages, publish, refresh

    if _validate():
        return 1
    if refresh.main([]):
        return 1
    datapackage.write()
    dictionary.write()
    total, written = pages.generate()
    print(f"pages: {written} of {total} rewritten", file=sys.stderr)
    # What `jupyter-book build . -W -n --keep-going --quiet` runs, without starting another process.
    from jupyter_book.sphinx import build_sphinx

    status = build_sphinx(
        ROOT,
        ROOT / "_build" / "html",
        path_config=ROOT / "_config.yml",
        noconfig=True,
        confoverrides={
            "external_toc_path": (ROOT / "_toc.yml").as_posix(),
            "latex_individualpages": False,
            "nitpicky": True,
        },
        warningiserror=True,
        keep_going=True,
        quiet=True,
    )
    if status != 0:
        print(f"build failed: {status}", file=sys.stderr)
        return 1
    publish.publish(ROOT / "_build" / "html")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mhwkb", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every data file; print path:line: field: message")
    sub.add_parser(
        "build",
        help="validate, refresh stale chapters, generate pages, build the site strictly, publish data",
    )
    refresh = sub.add_parser("refresh", help="re-execute chapter notebooks whose inputs changed")
    refresh.add_argument("notebooks", nargs="*", help="only these notebooks")
    refresh.add_argument("--all", action="store_true", help="re-execute every chapter")
    refresh.add_argument("--check", action="store_true", help="list stale chapters; exit 1 if any")
    diff = sub.add_parser("diff", help="describe in words how the data differ from a git ref")
    diff.add_argument(
        "ref", nargs="?", help="git ref to compare with (default origin/main, else HEAD)"
    )
    imp = sub.add_parser(
        "import", help="import official release files (a file, a folder or a URL) into data/"
    )
    imp.add_argument("targets", nargs="+", metavar="FILE|FOLDER|URL")
    imp.add_argument("--source", help="id in data/sources.yaml (default: found from the file)")
    sub.add_parser("pages", help="generate the recommendation and indicator pages from the records")
    sub.add_parser(
        "datapackage",
        help="regenerate data/datapackage.json and data/DICTIONARY.md from the schemas",
    )
    sub.add_parser("assets", help="write the offline chart scripts into _assets/_static/vendor")
    publish = sub.add_parser("publish", help="copy the data and descriptors into the built site")
    publish.add_argument("site", nargs="?", default=str(ROOT / "_build" / "html"))
    args = parser.parse_args(argv)

    if args.command == "validate":
        return _validate()
    if args.command == "build":
        return _build()
    if args.command == "refresh":
        from mhwkb.refresh import main as refresh_main

        return refresh_main(args.notebooks, force=args.all, check=args.check)
    if args.command == "diff":
        from mhwkb.diff import default_ref, describe

        ref = args.ref or default_ref()
        lines = describe(ref)
        print(f"Data changes since {ref}:" if lines else f"No data changes since {ref}.")
        for line in lines:
            print(f"- {line}")
        return 0
    if args.command == "import":
        from mhwkb.importer import run

        return run(args.targets, args.source)
    if args.command == "pages":
        from mhwkb.pages import generate

        total, written = generate()
        print(f"pages: {written} of {total} rewritten", file=sys.stderr)
        return 0
    if args.command == "datapackage":
        from mhwkb import datapackage, dictionary

        for name, written in (
            ("data/datapackage.json", datapackage.write()),
            ("data/DICTIONARY.md", dictionary.write()),
        ):
            print(f"{name} " + ("rewritten" if written else "already up to date"))
        return 0
    if args.command == "assets":
        from mhwkb.charts import write_bundle

        write_bundle(ROOT / "_assets" / "_static" / "vendor" / "vega-bundle.js")
        return 0
    from mhwkb.publish import publish as publish_site

    publish_site(args.site)
    return 0
