"""What has happened since the report: later assessments and figures, movement from the report's
baseline, the landing page, the dashboard, the timeline and bodies then and now."""

import html
import json
import re

import pandas as pd
import pytest

import mhwkb as kb
from mhwkb import bodies, fields, prose, scales, since, tables, tracker_pages
from mhwkb import schemas as s

SITE = "_build/html/chapters"
SMART_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")  # as Sphinx prints quotes


def text_of(page: str) -> str:
    """The text of a built page's article (or of a fragment), tags dropped and entities
    decoded, spaces collapsed."""
    article = re.search(r'<article class="bd-article"[^>]*>(.*?)</article>', page, re.S)
    page = article.group(1) if article else page
    text = html.unescape(re.sub(r"<[^>]+>", " ", page)).translate(SMART_QUOTES)
    return re.sub(r"\s+", " ", text)


def test_every_recommendation_has_a_later_assessment_on_later_evidence():
    for rec in json.loads(tracker_pages.recommendations_json()):
        later = [e for e in rec["status"] if e["date"] > "2017-09-30"]
        assert later, f"recommendation {rec['number']} has no assessment since the report"
        assert set(later[-1]["sources"]) - {"cmh2017"}, rec["number"]


def test_most_indicators_with_data_have_a_figure_from_2018_or_later():
    obs = kb.observations()
    with_data = set(obs["indicator"])
    later = set(obs.loc[obs["period"].map(fields.period_sort_key) >= "2018", "indicator"])
    assert len(later) / len(with_data) >= 0.8, sorted(with_data - later)


def test_every_recommendation_is_measured_by_an_indicator_or_a_milestone():
    named = {n for m in kb.records("milestones") for n in m.recommendations}
    for rec in kb.records("recommendations"):
        assert rec.indicators or rec.number in named, rec.number


def test_movement_starts_at_the_latest_figure_by_the_report_not_earlier():
    m = since.movement("mh_nurses_fte")
    obs = kb.observations("mh_nurses_fte", series="")
    assert (m.baseline.period, m.latest.period) == ("2016-10", "2023-04")  # not 2009-10
    total = obs.loc[obs["period"] == "2016-10", "value"].sum()
    assert m.baseline.value == total
    printed = tables.printed_total("table_two", "2016-10")  # the report's headline, kept beside
    assert m.baseline.printed == printed != total
    assert m.baseline.text.startswith(f"{prose.with_unit(printed, 'fte')} as the report prints it")
    assert m.change == prose.fmt_change(m.latest.value - total, "fte") + " from the sum of the rows"


def test_a_rate_moves_in_percentage_points(monkeypatch, unkept_movements):
    rows = kb.observations("leaver_rate", series="")
    later = rows[rows["period"] == "2015/16"].assign(period="2021/22", value=12.5)
    monkeypatch.setattr(
        since,
        "observations",
        lambda i, **k: pd.concat([rows, later]) if not k["series"] else rows[:0],
    )
    m = since.movement("leaver_rate")
    assert m.label.endswith("Mental health trusts")  # the headline group, never a sum of rates
    assert m.change == "\u22121.1 percentage points"


def test_breakdowns_that_do_not_add_up_are_never_summed():
    m = since.movement("clinical_psychology_training")
    obs = kb.observations("clinical_psychology_training", series="")
    places = obs[(obs["group"] == "places") & (obs["period"] == m.latest.period)]
    assert m.latest.value == places["value"].iloc[0]
    assert "Training places" in m.label


def test_a_figure_printed_as_approximate_keeps_its_wording_and_is_not_subtracted():
    m = since.movement("peer_support_workers")
    assert m.other.figure.text.startswith("over ") and m.other.figure.qualifier == "over"
    assert m.at_least is None  # never a floor from an approximate figure
    assert "over 1,000" in since.summary(m) or m.change  # shown, never subtracted


def test_a_comparison_uses_the_one_definition_that_spans_the_report_and_names_it():
    m = since.movement("psychiatrists_fte")  # the main series has no figure after 2016
    assert m.series == "mh_doctors" and m.definition.startswith("Doctors in the mental health")
    assert since.before_report(m.baseline.period) and not since.before_report(m.latest.period)
    assert m.other and "Consultant" in m.other.label  # another definition: shown, not compared
    alone = since.Movement(m.indicator, m.label, m.baseline, None, m.other)
    assert "not comparable" in since.summary(alone)


def test_landing_page_answers_what_has_happened_since(built_site):
    page = text_of((built_site / SITE / "index.html").read_text(encoding="utf-8"))
    assert "What has happened since 2017" in page
    for _, label, n in since.status_counts(kb.records("recommendations")):
        assert f"{n} {label}" in page
    m = since.movement("mh_nurses_fte")
    target = since.latest_target(m.indicator)
    card = page[page.index(m.label) :]
    for part in (m.baseline.text, m.latest.text, m.change, since.target_text(target, "fte")):
        assert part in card[:1600], part
    assert f"set by {since.policy_of_target()[target.id].title}" in card[:1600]


def test_dashboard_counts_statuses_and_shows_movement_since_the_report(built_site):
    page = text_of((built_site / SITE / "recommendations/dashboard.html").read_text("utf-8"))
    for _, label, n in since.status_counts(kb.records("recommendations")):
        assert f"{n} {label}" in page
    line, _ = since.short_since(["mh_nurses_fte"])
    assert line in page and "October 2016 to April 2023" in line


def test_recommendation_page_opens_with_its_status_and_lists_its_measures(built_site):
    rec = kb.records("recommendations")[4]
    page = text_of((built_site / SITE / "recommendations/rec05.html").read_text("utf-8"))
    body = page[page.index(f"Recommendation {rec.number}:") :]
    assert body.index("Where it stands") < body.index("What the report asked")
    assert tracker_pages.STATUS_LABELS[rec.status[-1].status] in body[:300]
    for m in kb.records("milestones"):
        if rec.number in m.recommendations:
            assert m.title in body


def test_recommendation_page_shows_the_criterion_and_confidence_of_its_rating(built_site):
    rec = next(r for r in kb.records("recommendations") if r.number == 20)
    page = text_of((built_site / SITE / "recommendations/rec20.html").read_text("utf-8"))
    now = rec.status[-1]
    head = page[page.index("Where it stands") : page.index("How it is measured")]
    assert scales.STATUSES[now.status].label in head
    assert " ".join(now.criterion.split()) in head
    assert scales.CONFIDENCE[now.confidence].label in head
    earlier = page[page.index("Earlier assessments") :]
    assert "Health and Social Care Committee Expert Panel" in earlier


def test_dashboard_sorts_by_status_and_by_confidence(built_site):
    built = (built_site / SITE / "recommendations/dashboard.html").read_text("utf-8")
    heads = [text_of(h).strip() for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', built)]
    assert heads.index("Status") + 1 == heads.index("Confidence")
    rows = re.findall(r'<tr data-status="(\w+)" data-confidence="(\w+)"', built)
    assert len(rows) == 22
    by_status = re.findall(r'data-label="Status" data-sort="(\d+)"', built)
    by_confidence = re.findall(r'data-label="Confidence" data-sort="(\d+)"', built)
    scale, kinds = list(scales.STATUSES), list(scales.CONFIDENCE)
    assert [int(x) for x in by_status] == [scale.index(k) for k, _ in rows]
    assert [int(x) for x in by_confidence] == [len(kinds) - kinds.index(c) for _, c in rows]


def test_about_page_publishes_the_rating_method(built_site):
    page = text_of((built_site / SITE / "about_data.html").read_text("utf-8"))
    for r in [*scales.STATUSES.values(), *scales.CONFIDENCE.values()]:
        assert r.label in page and r.criterion in page, r.label


def test_timeline_lists_records_in_date_order(built_site):
    entries = tracker_pages.timeline_entries()
    dates = [e.date for e in entries]
    assert dates == sorted(dates)
    built = (built_site / SITE / "recommendations/timeline.html").read_text("utf-8")
    headings = [text_of(h).strip() for h in re.findall(r"<h3>(.*?)</h3>", built, re.S)]
    assert [h.rstrip("#").strip() for h in headings] == [f"{e.when}: {e.title}" for e in entries]
    for m in kb.records("milestones"):
        assert f'id="milestone-{m.id.replace("_", "-")}"' in built


def test_bodies_then_and_now_names_the_current_holders(built_site):
    page = text_of((built_site / SITE / "recommendations/by_addressee.html").read_text("utf-8"))
    orgs = bodies.by_id()
    for old in ("hee", "dh", "commissioners"):
        now = orgs[bodies.holder(old, orgs)].name
        section = page[page.index(orgs[old].name) :]
        assert f"Today: {now} holds this remit" in section[:300], old


def test_a_loop_of_organisation_changes_is_named():
    org = s.Organisation.model_validate
    orgs = {
        "a": org({"id": "a", "name": "A", "kind": "national_body", "changes": [
            {"date": "2018", "what": "Merged.", "became": "b", "source": "x"}]}),
        "b": org({"id": "b", "name": "B", "kind": "national_body", "changes": [
            {"date": "2019", "what": "Merged.", "became": "a", "source": "x"}]}),
    }  # fmt: skip
    with pytest.raises(ValueError, match="a -> b -> a"):
        bodies.holder("a", orgs)


def test_indicator_pages_name_the_policy_behind_each_target_and_flag_proxies(built_site):
    set_by = since.policy_of_target()
    ind = kb.indicator("mh_nurses_fte")
    page = text_of((built_site / SITE / "indicators/mh_nurses_fte.html").read_text("utf-8"))
    for t in ind.targets:
        if t.id in set_by:
            assert f"Set by {set_by[t.id].title}" in page
    proxy = text_of((built_site / SITE / "indicators/cyp_therapists.html").read_text("utf-8"))
    assert "(a proxy: a wider measure standing in for this one)" in proxy
    imported = text_of(
        (built_site / SITE / "indicators/staff_sickness_absence.html").read_text("utf-8")
    )
    assert "Imported from NHS Sickness Absence Rates" in imported
