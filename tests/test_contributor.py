"""Edits rebuilt on one copy of the built site: a figure in a printed table reaches its page and
re-runs only its readers; a contributor's later observation, BibTeX entry and changelog release
go through the documented commands to the indicator page, the recommendation page and the
dashboard, with the new data version everywhere it is shown; a broken cross-reference, last,
fails the build.

The tests edit the shared build in its own folder, one after another (each edits different
data), so each rebuild reads again only the pages whose sources changed.
"""

import re
import sys
from datetime import date

import nbformat
from conftest import ROOT, build_book, git, mhwkb, run
from test_build import PAGE, shown_versions, total_row

from mhwkb.refresh import read_stamps
from mhwkb.validate import validate

ROW = "leaver_rate,,2018/19,,mental_health_trusts,,14.2,provisional,testbody2018,Added by a contributor test,\n"
BIB = "\n@misc{testbody2018,\n  author = {{Test Body}},\n  title = {Staff leavers 2018/19},\n  year = {2018}\n}\n"
RETITLED = ("Mental Health Services, written question", "Mental health services, written question")
TODAY = date.today().isoformat()  # a new release is dated today: never before the newest
RELEASE = f"## 9.0.0 ({TODAY})\n\n- The 2018/19 leaver rate of mental health trusts.\n\n"


def readers_of(project, *parts: str) -> set[str]:
    """Chapters whose stored stamp says they read any of ``parts`` (a file, or file#column=value)."""
    stamps = read_stamps(project / "chapters")
    return {f"chapters/{n}" for n, s in stamps.items() if any(p in s["inputs"] for p in parts)}


def test_data_edit_reaches_the_page_and_reruns_only_its_readers(built_in_place):
    project = built_in_place
    assert total_row((project / PAGE).read_text(encoding="utf-8")) == "8,819"
    obs = project / "data/observations.csv"
    obs.write_text(
        obs.read_text(encoding="utf-8").replace("general,5709,", "general,5710,"), encoding="utf-8"
    )
    tables = project / "data/tables.yaml"
    tables.write_text(
        tables.read_text(encoding="utf-8").replace("value: 8819", "value: 8820"), encoding="utf-8"
    )
    readers = readers_of(
        project,
        "data/observations.csv",
        "data/observations.csv#indicator=psychiatrists_fte",
        "data/tables.yaml",
        "data/tables.yaml#id=table_one",
    )
    others = {f"chapters/{p.name}" for p in (project / "chapters").glob("*.ipynb")} - readers
    assert "chapters/current_workforce.ipynb" in readers and "chapters/conclusion.ipynb" in others
    assert "chapters/wider_developments.ipynb" in others  # reads facts and records only
    untouched = {name: (project / name).read_bytes() for name in others}

    result = build_book(project)  # validates, refreshes the stale chapters, builds
    executed = set(re.findall(r"executing: (\S+)", result.stderr))
    assert executed == readers, result.stderr
    assert all((project / name).read_bytes() == data for name, data in untouched.items())
    assert total_row((project / PAGE).read_text(encoding="utf-8")) == "8,820"
    assert mhwkb(project, "refresh", "--check").returncode == 0


def test_later_observation_reaches_indicator_recommendation_and_dashboard(built_in_place):
    project = built_in_place
    git(project, "init", "-q")
    git(project, "add", "data")
    git(project, "commit", "-qm", "before")
    with open(project / "data/observations.csv", "a", encoding="utf-8") as f:
        f.write(ROW)
    bib = project / "data/references.bib"  # a new entry, and a source of a chart retitled
    bib.write_text(bib.read_text(encoding="utf-8").replace(*RETITLED) + BIB, encoding="utf-8")
    log = project / "data/CHANGELOG.md"
    log.write_text(log.read_text(encoding="utf-8").replace("## ", RELEASE + "## ", 1), "utf-8")

    assert mhwkb(project, "validate").returncode == 0
    diff = mhwkb(project, "diff", "HEAD", check=True).stdout
    assert (
        "Observation extends the series: leaver_rate 2018/19 (mental_health_trusts) = 14.2" in diff
    )
    assert "Reference added: testbody2018." in diff
    assert f"Release added: 9.0.0 ({TODAY})." in diff
    refreshed = build_book(project).stderr  # validates, refreshes the stale chapters, builds
    executed = re.findall(r"executing: (\S+)", refreshed)
    assert set(executed) == {  # the chapters that show the figure or the data version
        "chapters/findings_recruitment.ipynb",
        "chapters/executive_summary.ipynb",
        "chapters/about_data.ipynb",
        "chapters/index.ipynb",
    }, refreshed
    nbval = run(
        [sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", *executed],
        project,
    )
    assert nbval.returncode == 0 and " passed" in nbval.stdout, nbval.stdout[-2000:]

    site = project / "_build/html/chapters"
    indicator = (site / "indicators/leaver_rate.html").read_text(encoding="utf-8")
    assert "2018/19" in indicator and "14.2" in indicator and "testbody2018" in indicator
    nurses = (site / "indicators/mh_nurses_fte.html").read_text(encoding="utf-8")
    assert RETITLED[1] in nurses and RETITLED[0] not in nurses  # the kept chart is drawn again
    recommendation = (site / "recommendations/rec03.html").read_text(encoding="utf-8")
    assert "Latest figure: Mental health trusts: 14.2% in 2018/19" in recommendation
    dashboard = (site / "recommendations/dashboard.html").read_text(encoding="utf-8")
    assert (  # from the latest figure by the report to the new one, in percentage points
        "Mental health trusts: +0.6 percentage points, 2015/16 to 2018/19" in dashboard
    )
    assert set(shown_versions(project).values()) == {"9.0.0"}, shown_versions(project)


def test_wrong_edit_is_rejected_with_a_clear_message():
    observations = (ROOT / "data/observations.csv").read_text(encoding="utf-8") + ROW
    problems = validate(edits={"observations.csv": observations.encode()})
    assert [str(p) for p in problems] == [  # the source key is not in the bibliography
        f"data/observations.csv:{observations.count(chr(10))}: source: 'testbody2018' is not a "
        "key in data/references.bib; add the reference there first or correct the key"
    ]


def test_broken_cross_reference_fails_the_build(built_in_place):
    """Last in this file: it leaves the copy unbuildable."""
    path = built_in_place / "chapters/index.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("See {ref}`no-such-section`."))
    nbformat.write(nb, path)
    result = build_book(built_in_place, check=False)
    assert result.returncode != 0
    assert "undefined label: 'no-such-section'" in result.stderr + result.stdout
