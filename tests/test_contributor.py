"""Play a contributor: one later observation, one BibTeX entry and one changelog release, the
documented commands, and the new figure on the indicator page, the recommendation page and the
dashboard, with the new data version everywhere it is shown."""

import re
import shutil
import subprocess
import sys

from conftest import build_book, mhwkb, run
from test_build import shown_versions

ROW = "leaver_rate,,2016/17,,mental_health_trusts,,14.2,provisional,testbody2018,Added by a contributor test\n"
BIB = "\n@misc{testbody2018,\n  author = {{Test Body}},\n  title = {Staff leavers 2016/17},\n  year = {2018}\n}\n"
RELEASE = "## 9.0.0 (2026-11-24)\n\n- The 2016/17 leaver rate of mental health trusts.\n\n"


def git(project, *args):
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


def test_later_observation_reaches_indicator_recommendation_and_dashboard(built_site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(built_site, project, symlinks=True)
    git(project, "init", "-q")
    git(project, "add", "data")
    git(project, "commit", "-qm", "before")
    with open(project / "data/observations.csv", "a", encoding="utf-8") as f:
        f.write(ROW)
    with open(project / "data/references.bib", "a", encoding="utf-8") as f:
        f.write(BIB)
    log = project / "data/CHANGELOG.md"
    log.write_text(log.read_text(encoding="utf-8").replace("## ", RELEASE + "## ", 1), "utf-8")

    assert mhwkb(project, "validate").returncode == 0
    diff = mhwkb(project, "diff", "HEAD", check=True).stdout
    assert (
        "Observation extends the series: leaver_rate 2016/17 (mental_health_trusts) = 14.2" in diff
    )
    assert "Reference added: testbody2018." in diff
    assert "Release added: 9.0.0 (2026-11-24)." in diff
    refreshed = mhwkb(project, "refresh", check=True).stderr
    executed = re.findall(r"executing: (\S+)", refreshed)
    assert set(executed) == {  # the chapters that show the figure or the data version
        "chapters/findings_recruitment.ipynb",
        "chapters/about_data.ipynb",
        "chapters/index.ipynb",
    }, refreshed
    nbval = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *executed], project
    )
    assert nbval.returncode == 0 and " passed" in nbval.stdout, nbval.stdout[-2000:]
    build_book(project)

    site = project / "_build/html/chapters"
    indicator = (site / "indicators/leaver_rate.html").read_text(encoding="utf-8")
    assert "2016/17" in indicator and "14.2" in indicator and "testbody2018" in indicator
    recommendation = (site / "recommendations/rec03.html").read_text(encoding="utf-8")
    assert "Latest figure: 14.2% (2016/17)" in recommendation
    dashboard = (site / "recommendations/dashboard.html").read_text(encoding="utf-8")
    assert "Mental health trusts: +3.7% (2012/13 to 2016/17)" in dashboard
    assert set(shown_versions(project).values()) == {"9.0.0"}, shown_versions(project)


def test_wrong_edit_is_rejected_with_a_clear_message(project):
    with open(project / "data/observations.csv", "a", encoding="utf-8") as f:
        f.write(ROW)  # the source key is not in the bibliography
    result = mhwkb(project, "validate")
    assert result.returncode == 1
    assert re.search(
        r"^data/observations\.csv:\d+: source: 'testbody2018' is not a key in data/references\.bib",
        result.stdout,
        re.M,
    ), result.stdout
