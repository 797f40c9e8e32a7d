"""The strict build, data-aware refresh (no stale pages) and failures that must stop a build."""

import json
import re
import shutil

import nbformat
import pytest
import sitecheck
from conftest import ROOT

PAGE = "_build/html/chapters/current_workforce.html"


def total_row(page: str) -> str:
    m = re.search(
        r'<tr class="kb-total"><th scope="row">Total</th><td class="kb-num">([\d,]+)</td>', page
    )
    assert m, "no total row in Table one"
    return m.group(1)


def test_strict_build_shows_table_one_total(built_site):
    page = (built_site / PAGE).read_text(encoding="utf-8")
    assert "Table one" in page
    assert total_row(page) == "8,819"


def test_every_link_and_anchor_resolves_and_nothing_loads_from_another_host(built_site):
    assert sitecheck.problems(built_site / "_build/html") == []


def test_root_page_redirects_to_the_book_and_names_the_icon(built_site):
    root = (built_site / "_build/html/index.html").read_text(encoding="utf-8")
    assert (
        'url=chapters/index.html"' in root
        and '<link rel="icon" href="_static/favicon.svg">' in root
    )


def test_link_checker_catches_breakage(tmp_path):
    (tmp_path / "a.html").write_text(
        '<a href="b.html#x">b</a><a href="c.html">c</a>'
        '<script src="https://cdn.example/x.js"></script>',
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text('<p id="y"></p>', encoding="utf-8")
    found = sitecheck.problems(tmp_path)
    assert len(found) == 3, found


def test_recommendations_json_has_all_records(built_site):
    recs = json.loads(
        (built_site / "_build/html/data/recommendations.json").read_text(encoding="utf-8")
    )
    assert [r["number"] for r in recs] == list(range(1, 23))
    for r in recs:
        assert r["theme"] and r["title"] and r["addressees"] and r["evidence"] and r["status"]
        assert r["status"] == sorted(r["status"], key=lambda st: st["date"])


def test_tracker_pages_link_both_ways(built_site):
    site = built_site / "_build/html/chapters"
    rec = (site / "recommendations/rec04.html").read_text(encoding="utf-8")
    assert 'href="../indicators/mh_nurses_fte.html"' in rec
    ind = (site / "indicators/mh_nurses_fte.html").read_text(encoding="utf-8")
    assert 'href="../recommendations/rec04.html"' in ind
    assert 'href="../findings_structure.html#finding-inpatient"' in rec
    named = (site / "recommendations/rec17.html").read_text(encoding="utf-8")  # later plans
    assert 'href="timeline.html#policy-ltp-2019"' in named, "the Long Term Plan names rec 17"
    dashboard = (site / "recommendations/dashboard.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="[^"]*kb-sortable.*?</table>', dashboard, re.S).group(0)
    assert len(re.findall(r'<a href="\.\./recommendations/rec\d\d\.html">', table)) == 22


def test_edit_to_an_unread_file_reruns_nothing(tmp_path, monkeypatch):
    from mhwkb import refresh

    shutil.copytree(ROOT / "data", tmp_path / "data")
    bib = tmp_path / "data/references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + "\n% a comment\n", encoding="utf-8")
    monkeypatch.setattr(refresh, "ROOT", tmp_path)
    assert {p.name: refresh.stale_reason(p) for p in refresh.chapters()} == {
        p.name: None for p in refresh.chapters()
    }


def notebook_with(tmp_path, source: str):
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), path)
    return path


def test_a_chapter_run_again_with_the_same_outputs_is_left_untouched(tmp_path, capsys):
    """Its stamp changes in chapters/stamps.json; the notebook file is not written."""
    from mhwkb import refresh

    path = notebook_with(tmp_path, "1 + 1")
    assert refresh.stale_reason(path) == "never executed by mhwkb refresh"
    refresh.main([str(path)])
    assert refresh.stale_reason(path) is None
    written, stat = path.read_bytes(), path.stat()
    stamps = refresh.read_stamps(tmp_path)
    refresh.write_stamps(tmp_path, {path.name: {**stamps[path.name], "code": "older"}})
    assert refresh.stale_reason(path) == "its code or the mhwkb package changed"
    capsys.readouterr()
    refresh.main([str(path)])
    assert "1 of 1 chapter(s) executed, 0 rewritten" in capsys.readouterr().err
    assert path.read_bytes() == written and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert refresh.read_stamps(tmp_path) == stamps and refresh.stale_reason(path) is None


def test_failing_cell_fails_the_refresh(tmp_path):
    from mhwkb import refresh

    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        refresh.execute(notebook_with(tmp_path, "1 / 0"))


def test_stderr_output_fails_the_refresh(tmp_path):
    from mhwkb import refresh

    with pytest.raises(RuntimeError, match="wrote to stderr"):
        refresh.execute(notebook_with(tmp_path, "import sys; print('careful', file=sys.stderr)"))


def shown_versions(project) -> dict[str, str]:
    """The data version as the changelog, the descriptors, "how to cite" and the about page give it."""
    from mhwkb.changelog import read_changelog

    site = project / "_build/html"
    pasted = r'<span class="pasted-text">([^<]+)</span>'
    index = (site / "chapters/index.html").read_text(encoding="utf-8")
    about = (site / "chapters/about_data.html").read_text(encoding="utf-8")
    return {
        "changelog": read_changelog(project / "data/CHANGELOG.md")[0][0].version,
        "datapackage.json": json.loads((project / "data/datapackage.json").read_bytes())["version"],
        "published datapackage.json": json.loads((site / "data/datapackage.json").read_bytes())[
            "version"
        ],
        "how to cite": re.search(r"data version " + pasted, index).group(1),
        "about the data": re.search(r"currently " + pasted, about).group(1),
    }


def test_data_version_is_the_same_everywhere(built_site):
    versions = shown_versions(built_site)
    assert len(set(versions.values())) == 1, versions


def test_published_data(built_site):
    site = built_site / "_build/html/data"
    assert (site / "observations.csv").read_text(encoding="utf-8").startswith("indicator,")
    package = json.loads((site / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} <= {p.name for p in site.iterdir()}


def test_contributor_text_is_escaped_in_pages_and_chapters(monkeypatch):
    """A title typed by a contributor is escaped in chapter templates and generated pages
    (tests/test_hostile.py puts many such strings through a whole build)."""
    from datetime import date

    from mhwkb import data, render, tracker_pages

    evil = "<script>alert(1)</script>"
    cases = [c.model_copy(update={"title": evil}) for c in data.records("case_studies")]
    recs = [
        r.model_copy(update={"title": evil, "paraphrase": evil})
        for r in data.records("recommendations")
    ]
    originals = data.records

    def patched(kind):
        return {"case_studies": cases, "recommendations": recs}.get(kind) or originals(kind)

    monkeypatch.setattr(
        render, "record", lambda kind, rid: next(r for r in patched(kind) if r.id == rid)
    )
    chapter_html = render.case_study("trieste").data
    themes = {t.id: t.title for t in data.records("themes")}
    page = tracker_pages.recommendation_page(recs[0], themes, date(2026, 1, 1))
    board = tracker_pages.dashboard(recs, themes)
    assert evil not in chapter_html and "&lt;script&gt;alert(1)&lt;/script&gt;" in chapter_html
    assert evil not in page and r"\<script\>alert\(1\)\<\/script\>" in page  # MyST text
    assert evil not in board and "&lt;script&gt;alert(1)&lt;/script&gt;" in board  # HTML table


def test_a_style_edit_alone_reaches_the_built_site(tmp_path):
    """Sphinx copies static files only when it writes a page; the build copies them itself."""
    from mhwkb import publish

    site = tmp_path / "html"
    (site / "_static").mkdir(parents=True)
    (site / "_static/kb.css").write_text("/* an older style */\n", encoding="utf-8")
    copied = publish.sync_static(site)
    assert "_static/kb.css" in copied
    assert (site / "_static/kb.css").read_bytes() == (ROOT / "_static/kb.css").read_bytes()
    assert publish.sync_static(site) == []  # nothing changed: nothing copied
