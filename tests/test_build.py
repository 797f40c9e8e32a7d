"""The strict build, data-aware refresh (no stale pages) and failures that must stop a build."""

import json
import re

import nbformat

from conftest import jupyter_book, mhwkb

PAGE = "_build/html/chapters/current_workforce.html"


def total_row(page: str) -> str:
    m = re.search(r'<tr class="kb-total"><th scope="row">Total</th><td>([\d,]+)</td>', page)
    assert m, "no total row in Table one"
    return m.group(1)


def test_strict_build_shows_table_one_total(project):
    result = jupyter_book(project)
    assert "warning" not in result.stderr.lower(), result.stderr
    page = (project / PAGE).read_text(encoding="utf-8")
    assert "Table one" in page
    assert total_row(page) == "8,819"
    assert not re.search(r'(src|href)="https?://', page), "the page loads something from another host"


def test_data_edit_reaches_the_page_and_reruns_only_its_readers(project):
    jupyter_book(project)
    obs = project / "data/observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace("general,5709,", "general,5710,"), encoding="utf-8")
    tables = project / "data/tables.yaml"
    tables.write_text(tables.read_text(encoding="utf-8").replace("value: 8819", "value: 8820"), encoding="utf-8")
    index_before = (project / "chapters/index.ipynb").read_bytes()

    result = mhwkb(project, "refresh", check=True)
    assert "executing: chapters/current_workforce.ipynb (data/observations.csv changed)" in result.stderr
    assert "chapters/index.ipynb" not in result.stderr
    assert (project / "chapters/index.ipynb").read_bytes() == index_before

    jupyter_book(project)
    assert total_row((project / PAGE).read_text(encoding="utf-8")) == "8,820"
    again = mhwkb(project, "refresh", check=True)
    assert "0 of" in again.stderr and "executing" not in again.stderr


def test_edit_to_an_unread_file_reruns_nothing(project):
    bib = project / "data/references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n% a comment\n", encoding="utf-8")
    assert mhwkb(project, "refresh", "--check").returncode == 0


def _add_cell(project, source: str) -> None:
    path = project / "chapters/current_workforce.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)


def test_failing_cell_fails_the_refresh(project):
    _add_cell(project, "1 / 0")
    result = mhwkb(project, "refresh")
    assert result.returncode != 0 and "ZeroDivisionError" in result.stderr


def test_stderr_output_fails_the_refresh(project):
    _add_cell(project, "import sys; print('careful', file=sys.stderr)")
    result = mhwkb(project, "refresh")
    assert result.returncode != 0 and "wrote to stderr" in result.stderr


def test_broken_cross_reference_fails_the_build(project):
    path = project / "chapters/index.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("See {ref}`no-such-section`."))
    nbformat.write(nb, path)
    result = jupyter_book(project, check=False)
    assert result.returncode != 0
    assert "no-such-section" in result.stderr + result.stdout


def test_published_data(project):
    jupyter_book(project)
    mhwkb(project, "publish", str(project / "_build/html"), check=True)
    site = project / "_build/html/data"
    assert (site / "observations.csv").read_text(encoding="utf-8").startswith("indicator,")
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} <= {p.name for p in site.iterdir()}
