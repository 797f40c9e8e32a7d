"""Series on one definition from official release files: Excel workbooks and multi-month files
read against the source registry, how far each copy was verified, which trusts make up the
mental health trusts then and now, and what the site concludes from them."""

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from conftest import ROOT, SHARED, needs_shared

import mhwkb as kb
from mhwkb import fields, since, sources, trusts
from mhwkb.data import records, releases
from mhwkb.parse import yaml_records
from mhwkb.release import ReleaseFile, read

STORED = ROOT / "data/releases"


def source(source_id: str) -> sources.Source:
    parsed = yaml_records(ROOT / "data/sources.yaml", sources.Source)
    return next(i.record for i in parsed.items if i.record.id == source_id)


def lineage() -> dict[str, set[str]]:
    return trusts.codes({t.id: t for t in records("trusts")})


def release_bytes(source_id: str, period: str) -> bytes:
    return sources.stored_path(
        source_id, period, extension=source(source_id).extension
    ).read_bytes()


# --- every copy is recorded with how far it was verified --------------------------------------


@pytest.mark.parametrize(
    "source_id,folder",
    [
        ("nhs_sickness_absence_tables", "nhs-sickness-absence-2010-2023"),
        ("nhs_hchs_staff_nationality", "nhs-hchs-staff-2017-2018"),
        ("nhs_workforce_turnover", "nhs-workforce-turnover-2025"),
    ],
)
def test_stored_copies_are_the_shared_files_byte_for_byte(source_id, folder):
    shared = needs_shared(SHARED / "data" / folder)
    rows = list(csv.DictReader((shared / "SOURCES.csv").open(encoding="utf-8")))
    known = {k.sha256: k for k in source(source_id).releases}
    for row in rows:
        data = (shared / row["file"]).read_bytes()
        assert sources.sha256(data) == row["sha256"] and row["sha256"] in known
        period = known[row["sha256"]].period
        assert release_bytes(source_id, period) == data


def test_provenance_records_the_assurance_of_each_release():
    rows = {(r["source_id"], r["period"]): r for _, r in releases().iterrows()}
    assert rows[("nhs_sickness_absence", "2024-04")]["assurance"] == "publisher_file"
    assert rows[("nhs_sickness_absence_tables", "2023-01")]["assurance"] == "printed_figures"
    assert rows[("nhs_sickness_absence_tables", "2023-01")]["covers"] == "2010-01..2023-01"
    assert rows[("nhs_hchs_staff_nationality", "2018-10")]["covers"] == "2017-09..2018-06"
    assert rows[("nhs_workforce_turnover", "2025-11")]["assurance"] == "consistency"
    for src in records("sources"):
        for k in src.releases:
            if k.assurance in ("printed_figures", "consistency"):
                assert k.checked and k.copy_of.startswith("https://")


def test_the_indicator_page_says_how_far_a_release_was_checked(built_site):
    page = (built_site / "_build/html/chapters/indicators/mh_trust_staff_fte.html").read_text(
        encoding="utf-8"
    )
    assert "checked against figures the publisher printed" in page
    assert "checked for consistency only" in page


# --- an Excel release: figures as printed -----------------------------------------------------


def test_a_workbook_rate_keeps_the_two_decimals_it_prints():
    """Table 3 prints 4.6 as 4.60: the observation keeps both decimals, and so do the pages."""
    book = openpyxl.load_workbook(
        io.BytesIO(release_bytes("nhs_sickness_absence_tables", "2023-01")), read_only=True
    )
    sheet = list(book["Table 3"].iter_rows(min_row=3, values_only=True))
    column = sheet[0].index("Mental Health and Learning Disability")
    table = sheet[1 : next(i for i, row in enumerate(sheet) if not any(row))]  # to the first gap
    printed = {" ".join(row[0].split()): row[column] for row in table}  # "February  2011"
    obs = kb.observations("staff_sickness_absence", series="mhld_2010_2023", group="mental_health")
    assert len(obs) == len(printed) == 157  # January 2010 to January 2023
    for _, row in obs.iterrows():
        label = f"{fields.period_start(row['period']):%B %Y}"
        assert row["value"] == pytest.approx(printed[label]) and row["decimals"] == 2
    raw = (ROOT / "data/observations.csv").read_text(encoding="utf-8")
    assert "staff_sickness_absence,mhld_2010_2023,2010-04,,mental_health,,4.60," in raw


def test_the_report_month_is_the_baseline_of_sickness_absence():
    m = since.movement("staff_sickness_absence")
    assert (m.series, m.baseline.period, m.baseline.text) == ("mhld_2010_2023", "2017-09", "4.66%")
    assert m.compared.period == "2022-09"  # the same month of the latest year, not January
    assert m.latest.period == "2023-01" and m.change == "+0.65 percentage points"
    assert m.other.figure.period == "2025-03"  # the 2024 grouping, kept apart


def test_a_broken_workbook_is_refused_naming_sheet_row_and_column():
    src = source("nhs_sickness_absence_tables")
    book = openpyxl.load_workbook(
        io.BytesIO(release_bytes("nhs_sickness_absence_tables", "2023-01"))
    )
    book["Table 3"]["I10"] = "n/a"  # a rate that is not a number, in row 10
    book["Table 3"]["A11"] = "Jully 2010"  # a month that is not a month
    out = io.BytesIO()
    book.save(out)
    reading, problems = read(ReleaseFile("x/edited.xlsx", out.getvalue()), src, lineage())
    shown = [str(p) for p in problems]
    assert reading is None
    assert any(
        p.startswith(
            "x/edited.xlsx [Table 3]:10: Mental Health and Learning Disability: 'n/a' is not a number"
        )
        for p in shown
    ), shown
    reading, problems = read(ReleaseFile("x/not.xlsx", b"not a workbook\n"), src, lineage())
    assert reading is None and "not an Excel workbook" in str(problems[0])


# --- staff of the mental health trusts, for the same organisations ---------------------------


def test_the_mental_health_trusts_of_2025_are_the_releases_cluster():
    text = release_bytes("nhs_workforce_turnover", "2025-11").decode("utf-8-sig")
    in_release = {
        c
        for c, k in trusts.classified(text, "REPORTING_ORG_CODE", "CLUSTER_GROUP").items()
        if k == "Mental Health"
    }
    listed = {t.id for t in records("trusts") if t.cluster == "Mental Health"}
    assert listed == in_release and len(listed) == 47


def test_a_merged_trust_is_counted_with_the_trust_it_became():
    codes = lineage()["Mental Health"]
    assert {"RRP", "TAF", "RTV", "RYK", "R1J", "R1E", "R1C", "RY1"} <= codes  # merged since 2017
    assert "RNN" not in codes  # Cumbria Partnership's code went to an acute trust
    by_code = {t.id: t for t in records("trusts")}
    assert trusts.holder("RRP", by_code) == trusts.holder("TAF", by_code) == "G6V2S"


def test_staff_of_the_trusts_in_2017_are_summed_from_the_release():
    book = openpyxl.load_workbook(
        io.BytesIO(release_bytes("nhs_hchs_staff_nationality", "2018-10")), read_only=True
    )
    codes, total, nurses = lineage()["Mental Health"], Decimal(0), Decimal(0)
    for month, code, _, group, _, fte in book["Data"].iter_rows(min_row=2, values_only=True):
        if month == "2017-SEP" and code in codes:
            total += Decimal(str(fte))
            nurses += Decimal(str(fte)) if group == "Nurses & health visitors" else 0
    obs = kb.observations("mh_trust_staff_fte", series="", period="2017-09")
    assert obs["value"].sum() == pytest.approx(float(total), abs=3)  # five groups, each rounded
    row = obs[obs["group"] == "nurses_health_visitors"].iloc[0]
    assert row["value"] == float(nurses.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def test_the_2025_count_matches_the_publishers_all_staff_total():
    """The five groups add up to the release's own 'All staff groups' row."""
    text = release_bytes("nhs_workforce_turnover", "2025-10").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    total = sum(
        Decimal(r["FTE"])
        for r in rows
        if r["CLUSTER_GROUP"] == "Mental Health"
        and r["TYPE"] == "Denominator at end of period"
        and r["STAFF_GROUP_1_NAME"] == "All staff groups"
    )
    assert float(total) == pytest.approx(237610.3, abs=0.05)  # as the shared README prints it
    obs = kb.observations("mh_trust_staff_fte", series="turnover_denominator", period="2025-10")
    assert obs["value"].sum() == pytest.approx(float(total), abs=3)


def test_a_monthly_leaver_rate_is_leavers_over_the_average_staff():
    text = release_bytes("nhs_workforce_turnover", "2025-11").decode("utf-8-sig")
    rows = [
        r
        for r in csv.DictReader(io.StringIO(text))
        if r["CLUSTER_GROUP"] == "Mental Health" and r["STAFF_GROUP_1_NAME"] == "All staff groups"
    ]

    def total(kind):
        return sum(Decimal(r["FTE"]) for r in rows if r["TYPE"] == kind)

    average = (total("Denominator at start of period") + total("Denominator at end of period")) / 2
    expected = (total("Leavers") / average * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert kb.observation("mh_trust_joiners_leavers", "2025-11", group="leavers") == float(expected)


def test_a_later_count_that_leaves_staff_out_gives_a_floor_not_a_change():
    m = since.movement("mh_trust_staff_fte", as_of=date(2026, 12, 6))
    assert m.baseline.period == "2017-09" and m.latest.period == "2018-06"
    assert m.stale and m.age == "8 years"  # a monthly measure, last counted so in June 2018
    assert m.other.lower_bound and m.other.figure.period == "2025-11"
    assert m.at_least.startswith("at least +") and "(33%)" in m.at_least
    nurses = since.movement("mh_trust_staff_fte", "nurses_health_visitors")
    assert nurses.at_least.startswith("at least +14,094 FTE")


# --- targets on their own baselines -----------------------------------------------------------


def test_the_nurses_targets_are_measured_from_their_own_2016_baseline():
    ind = kb.indicator("mh_nurses_fte")
    first, second = (since.progress(ind, t) for t in ind.targets)
    assert first.baseline.period == second.baseline.period == "2016-10"
    assert first.level == first.baseline.value + 8100
    assert second.level == first.baseline.value + 8100 + 4220  # on top of the first
    assert first.rating == "not_met" and "after the deadline" in first.reason
    assert second.rating == "off_track" and 0.3 < second.reached < second.elapsed


def test_the_psychiatrists_target_counts_posts_no_series_here_counts():
    ind = kb.indicator("psychiatrists_fte")
    p = since.progress(ind, ind.targets[0])
    assert p.rating == "cannot_tell" and ind.targets[0].unit == "posts"
    assert ind.targets[0].baseline_value == 1220 and ind.targets[0].views


def test_the_support_team_targets_are_rated_on_their_own_series():
    ind = kb.indicator("mhst_teams")
    rated = {t.id: since.progress(ind, t) for t in ind.targets}
    assert rated["mhst_coverage_50"].rating == "met"
    assert rated["mhst_500"].rating == "on_track" and rated["mhst_500"].level == 500
    assert all(rated[t].target.unit == "percent" for t in ("mhst_coverage_60", "mhst_all_pupils"))
    assert "99%" in rated["mhst_500"].reason  # 498 of 500 is never rounded up to 100%


def test_the_verdict_answers_three_questions_from_the_data():
    bigger, met, healthier = since.verdict()
    assert (bigger.answer, met.answer, healthier.answer) == ("Yes", "Mostly not", "No")
    cited = [p for sentence in bigger.sentences for p in sentence if isinstance(p, since.Cited)]
    summed = "(the total of 5 figures by staff group, added up here)"  # never passed off as printed
    assert [c.text for c in cited][:2] == [f"178,659 FTE {summed}", f"237,877 FTE {summed}"]
    assert all(c.line and c.source for c in cited)  # each figure links to its row and source
    assert {p.rating for _, p in met.targets} >= {"met", "not_met", "on_track", "off_track"}


def test_landing_page_gives_the_verdict_and_one_definition_cards(built_site):
    page = (built_site / "_build/html/chapters/index.html").read_text(encoding="utf-8")
    for words in ("Is the workforce bigger?", "Were the targets met?", "Is it healthier?"):
        assert words in page
    for words in ("178,659 FTE", "4.66%", "55,823 FTE", "Latest, same count", "out of date"):
        assert words in page
    line = since.movement("staff_sickness_absence").baseline.line
    assert f'href="indicators/staff_sickness_absence.html#obs-{line}"' in page
    indicator = (
        built_site / "_build/html/chapters/indicators/staff_sickness_absence.html"
    ).read_text(encoding="utf-8")
    assert f'id="obs-{line}"' in indicator


def test_rates_from_a_release_appear_at_their_printed_precision(built_site):
    page = (built_site / "_build/html/chapters/indicators/staff_sickness_absence.html").read_text(
        encoding="utf-8"
    )
    assert ">5.35<" in page and ">5.20<" in page  # June and April 2024, two decimals each
    assert "5.20% in April 2024" in page  # the chart's description, never 5.2%


def test_periods_are_placed_on_a_time_axis():
    assert fields.period_date("2015/16").isoformat() == "2015-09-30"
    assert fields.period_date("2016").isoformat() == "2016-07-01"
    assert fields.period_end("2020/21").isoformat() == "2021-03-31"
    ordered = sorted(["2017", "2014-03", "2016-10", "2010-09", "2015/16"], key=fields.period_date)
    assert ordered == ["2010-09", "2014-03", "2015/16", "2016-10", "2017"]


def test_every_mental_health_trust_has_a_row_a_reader_can_find():
    from mhwkb import organisations

    t = organisations.table("staff_sickness_absence")
    assert (t.first_period, t.latest_period) == ("2024-04", "2025-03")
    lost = available = Decimal(0)
    for period in [f"2024-{m:02d}" for m in range(4, 13)] + ["2025-01", "2025-02", "2025-03"]:
        text = release_bytes("nhs_sickness_absence", period).decode("utf-8-sig")
        for r in csv.DictReader(io.StringIO(text)):
            if r["ORG_TYPE"] == "Mental Health":
                lost += Decimal(r["FTE_DAYS_LOST"])
                available += Decimal(r["FTE_DAYS_AVAILABLE"])
    assert t.overall == str((lost / available * 100).quantize(Decimal("0.01"), ROUND_HALF_UP))
    rows = {r.code: r for r in t.rows}
    assert rows["RVN"].months == 12 and rows["RVN"].latest == "4.72"
    assert rows["RRP"].months < 12 and rows["RRP"].latest == ""  # merged in November 2024
    assert [r.name for r in t.rows] == sorted((r.name for r in t.rows), key=str.lower)


def test_the_trust_table_is_sortable_and_searchable_with_its_data(built_site):
    page = (built_site / "_build/html/chapters/indicators/staff_sickness_absence.html").read_text(
        encoding="utf-8"
    )
    section = page[page.index('id="by-organisation"') :]
    assert 'class="kb-sortable" id="staff_sickness_absence-trusts"' in section
    assert 'data-kb-filter="staff_sickness_absence-trusts"' in section
    assert "Avon and Wiltshire Mental Health Partnership NHS Trust" in section
    assert 'download="staff_sickness_absence_trusts.csv"' in section


def test_a_release_with_unix_line_endings_gives_the_same_figures():
    """A copy whose line endings were changed to \\n reads as the published \\r\\n file does."""
    src = source("nhs_sickness_absence")
    published = release_bytes("nhs_sickness_absence", "2024-06")
    assert b"\r\n" in published
    crlf, problems = read(ReleaseFile("x/june.csv", published), src)
    lf, more = read(ReleaseFile("x/june-lf.csv", published.replace(b"\r\n", b"\n")), src)
    assert problems == more == [] and lf.observations == crlf.observations


def test_a_breakdown_of_many_groups_is_drawn_as_small_multiples_on_one_scale(built_site):
    """Eight types of organisation: a small chart each, the headline first, every panel on the
    same value and time scales, none left out."""
    import json
    import re

    page = (built_site / "_build/html/chapters/indicators/staff_sickness_absence.html").read_text(
        encoding="utf-8"
    )
    grid = re.search(r'<div class="kb-multiples">.*?<p class="kb-desc">', page, re.S)
    panels = re.findall(r'<p class="kb-panel-title">(.*?)</p>', grid.group(0))
    assert len(panels) == 8 and panels[0] == "Mental health organisations"
    specs = [
        json.loads(x)
        for x in re.findall(
            r'<script type="application/json" class="kb-spec">(.*?)</script>', grid.group(0)
        )
    ]
    scales = {
        json.dumps([layer["encoding"][axis]["scale"] for axis in ("x", "y")], sort_keys=True)
        for spec in specs
        for layer in spec["layer"]
    }
    assert len(specs) == 8 and len(scales) == 1
    assert "shown of" not in page
    # A panel is never 600 px wide (the grid adds a column first): drawn for narrow width only.
    assert grid.group(0).count("kb-static kb-narrow") == 8 and "kb-wide" not in grid.group(0)
