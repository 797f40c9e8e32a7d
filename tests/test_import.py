"""Official releases in one command: `mhwkb import` on the stored NHS Sickness Absence Rates
files (a series extended, a re-import, a revision, broken files, fetching over http) and the
source registry's checks."""

import csv
import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, SHARED, copy_project, git, mhwkb, needs_shared

import mhwkb as kb
from mhwkb import provenance, sources
from mhwkb.data import releases
from mhwkb.importer import fetch, with_draft
from mhwkb.localserver import serve
from mhwkb.parse import yaml_records
from mhwkb.release import ReleaseFile, read

SOURCE = "nhs_sickness_absence"
STORED = ROOT / "data/releases" / SOURCE
INDICATOR = "staff_sickness_absence"


def registry() -> sources.Source:
    parsed = yaml_records(ROOT / "data/sources.yaml", sources.Source)
    assert not parsed.problems
    return next(i.record for i in parsed.items if i.record.id == SOURCE)


def stored(period: str) -> bytes:
    return (STORED / f"{period}.csv").read_bytes()


def published_name(period: str) -> str:
    return next(k.file for k in registry().releases if k.period == period)


def snapshot(project: Path) -> dict[str, bytes]:
    return {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in sorted((project / "data").rglob("*"))
        if p.is_file()
    }


def raw_rates(data: bytes) -> dict[str, Decimal]:
    """Days lost over days available per organisation type, straight from the CSV text."""
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    groups = {"all_organisations": rows}
    for row in rows:
        groups.setdefault(row["ORG_TYPE"], []).append(row)
    return {
        name: sum(Decimal(r["FTE_DAYS_LOST"]) for r in members)
        / sum(Decimal(r["FTE_DAYS_AVAILABLE"]) for r in members)
        * 100
        for name, members in groups.items()
    }


PERIODS = [f"2024-{m:02d}" for m in range(4, 13)] + ["2025-01", "2025-02", "2025-03"]
TYPES = {"mental_health": "Mental Health", "acute": "Acute", "ambulance": "Ambulance"}


# --- the committed data ---------------------------------------------------------------


def test_twelve_months_are_imported_with_their_provenance():
    rows = releases(SOURCE)
    assert rows["period"].to_list() == PERIODS
    known = {k.period: k for k in registry().releases}
    for _, r in rows.iterrows():
        assert r["sha256"] == known[r["period"]].sha256 and r["address"] == known[r["period"]].url
        assert r["licence"] == "Open Government Licence v3.0" and r["status"] == "final"
    assert set(kb.observations(INDICATOR, group="mental_health", series="")["period"]) == set(
        PERIODS
    )


def test_stored_release_bytes_are_as_published():
    assert "data/releases/** -text" in (ROOT / ".gitattributes").read_text(encoding="utf-8")
    for _, r in releases(SOURCE).iterrows():
        data = stored(r["period"])
        assert sources.sha256(data) == r["sha256"]
        assert data.count(b"\r\n") == data.count(b"\n") > 200  # Windows line endings kept


def test_stored_releases_are_identical_with_the_shared_files():
    folder = needs_shared(SHARED / "data/nhs-sickness-absence")
    for period in PERIODS:
        assert stored(period) == (folder / published_name(period)).read_bytes()


@pytest.mark.parametrize("period", PERIODS)
def test_each_monthly_rate_is_days_lost_over_days_available(period):
    expected = raw_rates(stored(period))
    for group, org_type in {**TYPES, "all_organisations": "all_organisations"}.items():
        value = kb.observation(INDICATOR, period, group=group)
        assert abs(Decimal(str(value)) - expected[org_type]) <= Decimal("0.005"), (group, value)


def test_mental_health_rate_is_rounded_half_up_to_two_decimals():
    row = kb.observation_row(INDICATOR, "2024-04", group="mental_health")
    assert row["value"] == 5.20 and "48 organisations" in row["note"]
    assert row["status"] == "final" and row["source"] == "nhsengland2025"


def test_provenance_for_the_indicator_page():
    p = provenance.provenance(INDICATOR)
    assert (p.title, p.publisher, p.source) == (
        "NHS Sickness Absence Rates",
        "NHS England",
        "nhsengland2025",
    )
    assert p.licence == "Open Government Licence v3.0"
    assert p.licence_url.startswith("https://www.nationalarchives.gov.uk/")
    assert (p.releases, p.first_period, p.latest_period) == (12, "2024-04", "2025-03")
    assert p.latest_file == "nhs_sickness_absence_2025-03.csv"
    assert p.sentence() == (
        "Imported from NHS Sickness Absence Rates (NHS England), published under the Open "
        "Government Licence v3.0: 12 releases, April 2024 to March 2025. Latest release "
        f"imported: March 2025, read on {p.latest_read.isoformat()}; the publisher's own file, "
        "read from the address it is published at."
    )
    both = provenance.provenances(INDICATOR)  # the monthly files and the 2010 to 2023 tables
    assert [x.source for x in both] == ["nhsengland2025", "nhsengland_sickness2023"]
    assert "checked against figures the publisher printed" in both[1].sentence()
    assert "England, December 2019, 4.86" in both[1].sentence()  # what was compared
    assert provenance.provenance("gp_fte") is None


def test_changelog_draft_goes_under_a_new_minor_release_dated_today():
    from datetime import date

    text = "# Data changelog\n\nIntro.\n\n## 1.0.0 (2026-11-23)\n\n- First.\n"
    today = date(2026, 11, 25)
    once = with_draft(text, ["- One."], today)
    assert once == (
        "# Data changelog\n\nIntro.\n\n## 1.1.0 (2026-11-25)\n\n- One.\n\n"
        "## 1.0.0 (2026-11-23)\n\n- First.\n"
    )
    twice = with_draft(once, ["- Two."], today)
    assert "## 1.1.0 (2026-11-25)\n\n- One.\n- Two.\n\n## 1.0.0" in twice
    assert "## 1.2.0" in with_draft(once, ["- Later."], date(2026, 11, 26))


# --- broken release files: a clear message naming the file, the line and the column --------


def _replace(old: bytes, new: bytes, count: int = 1):
    def edit(data: bytes) -> bytes:
        assert old in data, old
        return data.replace(old, new, count)

    return edit


def _duplicate_line(n: int):
    def edit(data: bytes) -> bytes:
        lines = data.split(b"\r\n")
        return b"\r\n".join(lines[:n] + [lines[n - 1]] + lines[n:])

    return edit


# (case, edit of the April 2024 file, keep its published name, line, column, words)
BROKEN = [
    (
        "renamed column",
        _replace(b"FTE_DAYS_LOST,", b"FTE_DAYS_LOSS,"),
        False,
        1,
        "FTE_DAYS_LOST",
        "named 'FTE_DAYS_LOSS'",
    ),
    (
        "missing column",
        lambda d: d.replace(b",ORG_TYPE", b"", 1),
        False,
        1,
        "(header)",
        "missing column(s): ORG_TYPE",
    ),
    (
        "text in a number",
        _replace(b",1868.54684,", b",18x8.5,"),
        False,
        2,
        "FTE_DAYS_LOST",
        "'18x8.5' is not a number",
    ),
    (
        "date that is not a date",
        _replace(b"30/04/2024,QZZ", b"31/04/2024,QZZ"),
        False,
        2,
        "DATE",
        "not a date in the form DD/MM/YYYY",
    ),
    (
        "date in another month",
        _replace(b"30/04/2024,QZZ", b"31/05/2024,QZZ"),
        False,
        2,
        "DATE",
        "is in 2024-05, but the release is for 2024-04",
    ),
    (
        "duplicated organisation",
        _duplicate_line(3),
        False,
        4,
        "ORG_CODE",
        "duplicate: ORG_CODE 0CX is already on line 3",
    ),
    ("truncated file", lambda d: d[: len(d) // 2], False, 146, "(file)", "cut short"),
    (
        "unknown organisation type",
        _replace(b",Commissioning Support Unit,1868", b",Hospice,1868"),
        False,
        2,
        "ORG_TYPE",
        "'Hospice' is not one of: Acute",
    ),
    (
        "checksum that does not match",
        _replace(b",1868.54684,", b",1868.54685,"),
        True,
        1,
        "(sha256)",
        "is not the published file",
    ),
    (
        "UTF-16",
        lambda d: d.decode("utf-8").encode("utf-16"),
        False,
        1,
        "(encoding)",
        "the file is UTF-16; save it as UTF-8",
    ),
    (
        "not UTF-8",
        _replace(b"Support Unit,1868", b"Support Unit\xe9,1868"),
        False,
        2,
        "(encoding)",
        "not valid UTF-8",
    ),
]


@pytest.mark.parametrize(
    "case,edit,published,line,column,words", BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_release_is_refused_naming_file_line_and_column(
    case, edit, published, line, column, words
):
    name = published_name("2024-04") if published else "edited.csv"
    reading, problems = read(ReleaseFile(f"x/{name}", edit(stored("2024-04"))), registry())
    assert reading is None
    shown = [str(p) for p in problems]
    assert any(p.startswith(f"x/{name}:{line}: {column}: ") and words in p for p in shown), shown


def test_a_byte_order_mark_is_accepted():
    reading, problems = read(
        ReleaseFile("bom.csv", b"\xef\xbb\xbf" + stored("2024-04")), registry()
    )
    assert problems == [] and reading.period == "2024-04" and len(reading.observations) == 8


def test_fetch_names_the_address_when_it_fails(server):
    folder, base = server
    assert fetch(f"{base}/absent.csv")[1][0].message.startswith("the server answered 404")
    assert "only http and https" in fetch("file:///etc/passwd")[1][0].message


# --- the command, end to end, in a copy of the project --------------------------------------


@pytest.fixture(scope="module")
def before_the_imports(tmp_path_factory) -> Path:
    """A copy of the project as it was before the twelve releases were imported, under git."""
    project = copy_project(tmp_path_factory.mktemp("before") / "project")
    obs = project / "data/observations.csv"
    kept = [
        line
        for line in obs.read_text(encoding="utf-8").splitlines(True)
        if not line.startswith(INDICATOR + ",")
    ]
    obs.write_text("".join(kept), encoding="utf-8")
    releases = project / "data/releases.csv"
    releases.write_text(releases.read_text(encoding="utf-8").splitlines(True)[0], encoding="utf-8")
    shutil.rmtree(project / "data/releases")
    assert mhwkb(project, "validate").returncode == 0
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "before")
    return project


@pytest.fixture
def fresh(before_the_imports: Path, tmp_path: Path) -> Path:
    """A test's own copy of the project before the imports, with its git history."""
    return Path(shutil.copytree(before_the_imports, tmp_path / "fresh", symlinks=True))


def release_folder(tmp_path: Path, periods: list[str]) -> Path:
    folder = tmp_path / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    for period in periods:
        (folder / published_name(period)).write_bytes(stored(period))
    return folder


def test_eleven_months_then_the_twelfth_then_again_then_a_revision(fresh, tmp_path):
    first = mhwkb(fresh, "import", str(release_folder(tmp_path / "a", PERIODS[:11])), check=True)
    assert first.stdout.count(": added") == 11
    assert (fresh / "data/releases.csv").read_text(encoding="utf-8").count("\n") == 12
    git(fresh, "add", "-A")
    git(fresh, "commit", "-qm", "eleven")

    twelfth = release_folder(tmp_path / "b", PERIODS[11:]) / published_name("2025-03")
    mhwkb(fresh, "import", str(twelfth), check=True)
    diff = mhwkb(fresh, "diff", "HEAD", check=True).stdout
    assert f"Observation extends the series: {INDICATOR} 2025-03 (mental_health) = 5.23" in diff
    assert "Release imported from nhs_sickness_absence_2025-03.csv" in diff
    assert (fresh / "data/releases" / SOURCE / "2025-03.csv").read_bytes() == stored("2025-03")
    changelog = (fresh / "data/CHANGELOG.md").read_text(encoding="utf-8")
    assert "imported for March 2025" in changelog.split("\n## ", 2)[1]
    git(fresh, "add", "-A")
    git(fresh, "commit", "-qm", "twelve")

    before = snapshot(fresh)
    again = mhwkb(fresh, "import", str(twelfth), check=True)
    assert "unchanged (already imported)" in again.stdout and "Nothing to change" in again.stdout
    assert snapshot(fresh) == before

    # A revised March file: one mental health trust reports 1,000 more days lost.
    rows = stored("2025-03").split(b"\r\n")
    n = next(i for i, r in enumerate(rows) if b",Mental Health," in r)
    cells = rows[n].split(b",")
    cells[-3] = str(Decimal(cells[-3].decode()) + 1000).encode()
    rows[n] = b",".join(cells)
    revised = tmp_path / "nhs_sickness_absence_2025-03_revised.csv"
    revised.write_bytes(b"\r\n".join(rows))
    expected = raw_rates(revised.read_bytes())["Mental Health"].quantize(Decimal("0.01"))
    out = mhwkb(fresh, "import", str(revised), check=True).stdout
    assert "March 2025: revised (staff_sickness_absence mental_health: 5.23 -> " in out
    assert kb_value(fresh, "2025-03", "mental_health") == f"{expected}"
    diff = mhwkb(fresh, "diff", "HEAD", check=True).stdout
    assert (
        f"Value revised by a new release: {INDICATOR} 2025-03 (mental_health) revised from 5.23 "
        f"to {float(expected):g}." in diff
    )
    assert "Release replaced by nhs_sickness_absence_2025-03_revised.csv" in diff
    provenance = (fresh / "data/releases.csv").read_text(encoding="utf-8")
    assert (
        provenance.count(",2025-03,") == 1
        and ",2025-03,,nhs_sickness_absence_2025-03_revised.csv,," in provenance
    )
    assert (
        "revised for March 2025 (a new release file: nhs_sickness_absence_2025-03_revised.csv)"
        in (fresh / "data/CHANGELOG.md").read_text(encoding="utf-8")
    )
    assert mhwkb(fresh, "validate").returncode == 0


def kb_value(project: Path, period: str, group: str) -> str:
    for row in csv.DictReader(
        io.StringIO((project / "data/observations.csv").read_text(encoding="utf-8"))
    ):
        if (row["indicator"], row["period"], row["group"]) == (INDICATOR, period, group):
            return row["value"]
    raise KeyError(period)


def test_one_broken_file_in_a_folder_changes_nothing(fresh, tmp_path):
    folder = release_folder(tmp_path, PERIODS[:3])
    bad = folder / published_name("2024-05")
    bad.write_bytes(_replace(b"31/05/2024,QZZ", b"31/13/2024,QZZ")(bad.read_bytes()))
    before = snapshot(fresh)
    result = mhwkb(fresh, "import", str(folder))
    assert result.returncode == 1
    assert f"{bad}:2: DATE: '31/13/2024' is not a date in the form DD/MM/YYYY" in result.stdout
    assert "nothing was written" in result.stderr
    assert snapshot(fresh) == before


def test_the_would_be_data_goes_through_the_validator(fresh, tmp_path):
    ind = fresh / "data/indicators.yaml"
    ind.write_text(
        ind.read_text(encoding="utf-8").replace("        ambulance: Ambulance trusts\n", ""),
        encoding="utf-8",
    )
    before = snapshot(fresh)
    result = mhwkb(fresh, "import", str(release_folder(tmp_path, PERIODS[:1])))
    assert result.returncode == 1
    assert (
        "would-be data/sources.yaml:" in result.stdout
        and "'ambulance' is not a value" in result.stdout
    )
    assert "would-be data/observations.csv:" in result.stdout
    assert snapshot(fresh) == before


def test_validate_checks_the_stored_copies(project):
    (project / "data/releases" / SOURCE / "2024-04.csv").write_bytes(
        stored("2024-04").replace(b"\r\n", b"\n")
    )
    (project / "data/releases" / SOURCE / "stray.csv").write_bytes(b"x\n")
    out = mhwkb(project, "validate").stdout
    rows = (project / "data/releases.csv").read_text(encoding="utf-8").splitlines()
    line = next(i for i, r in enumerate(rows, 1) if r.startswith(f"{SOURCE},2024-04,"))
    assert (
        f"data/releases.csv:{line}: sha256: the stored copy "
        "data/releases/nhs_sickness_absence/2024-04.csv" in out
    )
    assert "data/releases/nhs_sickness_absence/stray.csv:1: (file): no row of releases.csv" in out


@pytest.fixture
def server(tmp_path):
    """A web server on the loopback address serving a folder, for as long as the test runs."""
    folder = tmp_path / "www"
    folder.mkdir()
    with serve(folder) as base:
        yield folder, base


def test_import_by_url_from_a_server_on_loopback(fresh, server):
    folder, base = server
    (folder / "March 2025.csv").write_bytes(stored("2025-03"))
    revised = b"\xef\xbb\xbf" + stored("2025-02") + b"\r\n"  # a BOM and a blank line added
    (folder / "February 2025, revised.csv").write_bytes(revised)
    result = mhwkb(fresh, "import", f"{base}/March%202025.csv", check=True)
    assert "March 2025: added" in result.stdout
    row = (fresh / "data/releases.csv").read_text(encoding="utf-8").splitlines()[1]
    # A file whose checksum is a known release is recorded under its published name and address.
    assert row.startswith(
        f"{SOURCE},2025-03,,nhs_sickness_absence_2025-03.csv,https://files.digital.nhs.uk/"
    )
    assert row.endswith(",final,publisher_file")  # how far the registry says it was checked
    assert (fresh / "data/releases" / SOURCE / "2025-03.csv").read_bytes() == stored("2025-03")
    # A file that is no known release keeps the address it was read from and its own name.
    mhwkb(fresh, "import", f"{base}/February%202025%2C%20revised.csv", check=True)
    rows = (fresh / "data/releases.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1] == (
        f'{SOURCE},2025-02,,"February 2025, revised.csv",{base}/February%202025%2C%20revised.csv,'
        f"{sources.sha256(revised)},{date.today().isoformat()},"
        "Open Government Licence v3.0,final,unverified"
    )
