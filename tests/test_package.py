"""Unit tests of the mhwkb package."""

import pytest
from conftest import ROOT

import mhwkb as kb
from mhwkb import charts, fields, html, prose, scales, schemas, since, tables
from mhwkb.fileio import load_yaml
from mhwkb.problems import DataError


@pytest.mark.parametrize(
    "value,unit,text",
    [
        (8819, "fte", "8,819"),
        (13.6, "percent", "13.6%"),
        (10, "percent", "10%"),
        (1.25e9, "gbp", "£1.25 billion"),
        (3e6, "gbp", "£3 million"),
        (1_550_000, "jobs", "1.55 million"),
        (14.63, "per_100k", "14.63"),
        (-10000, "net_change", "-10,000"),
        (0.5, "percent", "0.5%"),
    ],
)
def test_fmt(value, unit, text):
    assert prose.fmt(value, unit) == text


def test_fmt_rejects_unknown_unit():
    with pytest.raises(ValueError):
        prose.fmt(1, "furlongs")


@pytest.mark.parametrize(
    "period", ["2016", "2016-10", "2016-10-31", "2015/16", "2016-09..2016-11", "2009..2015"]
)
def test_valid_periods(period):
    assert fields.check_period(period) == period


@pytest.mark.parametrize(
    "period", ["Oct 2016", "2016-13", "2015/17", "2016-11..2016-09", "16/17", "2016-10-32"]
)
def test_invalid_periods(period):
    with pytest.raises(ValueError):
        fields.check_period(period)


@pytest.mark.parametrize(
    "period,label",
    [
        ("2016-10", "October 2016"),
        ("2015/16", "2015/16"),
        ("2016-10-31", "31 October 2016"),
        ("2016-09..2016-11", "September 2016 to November 2016"),
    ],
)
def test_period_label(period, label):
    assert prose.period_label(period) == label


def test_financial_years_sort_by_april():
    assert fields.period_sort_key("2015/16") == "2015-04"
    assert sorted(["2016", "2015/16", "2015-03"], key=fields.period_sort_key) == [
        "2015-03",
        "2015/16",
        "2016",
    ]


def test_yaml_duplicate_key_names_its_line(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("- id: a\n  title: one\n  title: two\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_yaml(path)
    assert ":3: title: duplicate key" in str(err.value)


def test_yaml_lines_are_tracked(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("- id: a\n  nested:\n    - x: 1\n", encoding="utf-8")
    _, lines, _ = load_yaml(path)
    assert lines[(0, "nested", 0, "x")] == 3


def test_table_one_total_is_computed_from_rows():
    frame = tables.table_frame("table_one")
    rows = frame[frame["kind"] == "row"]["2016-10"]
    total = frame.loc[frame["kind"] == "total", "2016-10"].iloc[0]
    assert len(rows) == 6
    assert total == rows.sum() == 8819


def test_table_two_subtotals():
    frame = tables.table_frame("table_two").set_index("label")
    assert frame.loc["Community psychiatry", "2016-10"] == 16350
    assert frame.loc["Other psychiatry (mainly inpatient)", "2009-10"] == 25387
    assert frame.loc["Total", "2016-10"] == 16350 + 19592


def test_observation_by_breakdown():
    assert kb.observation("psychiatrists_fte", "2016-10", subgroup="general") == 5709
    with pytest.raises(KeyError):
        kb.observation("psychiatrists_fte", "2016-10")  # six rows match, not one
    with pytest.raises(KeyError):
        kb.indicator("no_such_indicator")


def test_chart_output_is_deterministic_and_offline():
    import altair as alt
    import pandas as pd

    charts.setup()
    chart = alt.Chart(pd.DataFrame({"a": ["x"], "b": [1]})).mark_bar().encode(x="b", y="a")
    first, second = charts.render(chart.to_dict()), charts.render(chart.to_dict())
    assert first == second
    assert "http" not in first["text/html"]
    other = charts.render(chart.properties(width=100).to_dict())
    assert other["text/html"].split('id="')[1][:18] != first["text/html"].split('id="')[1][:18]


def test_a_chart_shown_in_a_stored_output_is_not_drawn_again(tmp_path, monkeypatch):
    """The drawings a chapter's stored output shows refill an empty cache (a fresh clone), so
    re-running the chapter gives the same chart without drawing it."""
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame({"a": [1, 2], "b": [3, 4]})).mark_line().encode(x="a", y="b")
    monkeypatch.setattr(charts, "SVG_CACHE", tmp_path / "drawn")
    shown = str(charts.chart_html(chart.to_dict(), "A chart", "Two points."))
    monkeypatch.setattr(charts, "SVG_CACHE", tmp_path / "fresh")
    charts.keep_drawings(shown)
    assert len(list((tmp_path / "fresh").glob("*.svg"))) == 2  # narrow and wide
    monkeypatch.setattr(charts, "_vl_convert", None)  # drawing again would fail
    assert str(charts.chart_html(chart.to_dict(), "A chart", "Two points.")) == shown


def test_contributor_strings_are_escaped():
    import altair as alt
    import pandas as pd

    evil = "<script>alert(1)</script>"
    out = html.table(
        pd.DataFrame({"Name": [evil], "n": [1]}), caption=evil, source="cmh2017", filename="x.csv"
    )
    assert evil not in out and "&lt;script&gt;" in out
    chart = alt.Chart(pd.DataFrame({"a": [evil]})).mark_point().encode(x="a").properties(title=evil)
    rendered = charts.render(chart.to_dict())["text/html"]
    assert "</script>alert" not in rendered and "<script>alert" not in rendered


def test_cite_anchor_matches_docutils_ids():
    assert html.cite_anchor("nhse_hee2016") == "cite-nhse-hee2016"


def test_glued_figures_link_to_their_source_by_name():
    from mhwkb.markup import myst

    name = kb.source_name("nhsdigital2017b")
    assert name.startswith("NHS Digital, NHS Workforce Statistics")
    assert prose.linked("8,819", "nhsdigital2017b") == (
        f'[8,819](references.html#cite-nhsdigital2017b "Source: {myst(name)}")'
    )


def test_a_cell_that_runs_too_long_stops_the_refresh(tmp_path, monkeypatch):
    import nbformat

    from mhwkb import refresh

    monkeypatch.setattr(refresh, "CELL_TIMEOUT", 1)
    path = tmp_path / "slow.ipynb"
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import time; time.sleep(5)")]),
        path,
    )
    with pytest.raises(RuntimeError, match="ran longer than 1 s"):
        refresh.execute(path)


@pytest.mark.parametrize(
    "value,unit,text",
    [
        (15, "minutes", "15 minutes"),
        (1, "years", "1 year"),
        (260, "headcount", "260 people"),
        (50, "percent", "50%"),
        (20, "count", "20"),
        (14.63, "per_100k", "14.63 per 100,000 population"),
    ],
)
def test_with_unit_spells_out_the_unit(value, unit, text):
    assert prose.with_unit(value, unit) == text


def test_a_change_in_a_rate_is_in_percentage_points():
    assert prose.fmt_change(13.6 - 10.5, "percent") == "+3.1 percentage points"
    assert prose.fmt_change(-10000, "jobs") == "\u221210,000 jobs"


def test_headlines_can_quote_the_printed_total():
    frame = tables.table_frame("table_two").set_index("label")
    assert tables.printed_total("table_two", "2016-10") == 35943
    assert frame.loc["Total", "2016-10"] == 35942
    with pytest.raises(KeyError):
        tables.printed_total("table_two", "2012-10")


def test_targets_are_drawn_at_their_deadline_from_their_own_baseline():
    from mhwkb import indicator_charts

    nurses = indicator_charts._drawn_targets(kb.indicator("mh_nurses_fte"), {""})
    first, second = (x.mark for x in nurses)
    assert first.deadline == "2021-03-31" and second.deadline == "2024-03-31"  # 2020/21, 2023/24
    assert first.start == second.start == "2016-10-16"  # the October 2016 figure, the baseline
    assert first.level == first.baseline + 8100 and second.level == first.baseline + 8100 + 4220
    coverage = indicator_charts._drawn_targets(kb.indicator("mhst_teams"), {"pupil_coverage"})
    assert {x.level for x in coverage} == {50, 60, 100}  # per cent, on the series in per cent
    psychiatrists = kb.indicator("psychiatrists_fte")
    assert not indicator_charts._drawn_targets(psychiatrists, {""})  # not measurable


@pytest.mark.parametrize(
    "edited,old,new",
    [
        ("mhwkb/scales.py", '"full-time equivalent staff (FTE)"', '"FTE staff"'),  # a unit label
        ("mhwkb/templates/chart.html", "</div>", "</div><!-- x -->"),
        ("mhwkb/templates/figure.html", "kb-desc", "kb-description"),
        ("_static/kb.css", ".kb-figure", ".kb-figure-x"),
        ("mhwkb/charts.py", "NARROW, WIDE = 320, 640", "NARROW, WIDE = 300, 640"),
    ],
)
def test_chart_cache_key_changes_with_anything_that_shapes_the_chart(tmp_path, edited, old, new):
    import shutil

    from conftest import ROOT

    from mhwkb import indicator_charts

    for folder in ("mhwkb", "_static"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("vendor"))
    ind = kb.indicator("gp_fte")

    def key() -> str:
        indicator_charts.drawing_inputs.cache_clear()
        return indicator_charts._figure_key(
            ind, 1, indicator_charts.drawing_inputs(tmp_path / "mhwkb", tmp_path / "_static")
        )

    before = key()
    path = tmp_path / edited
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert key() != before
    indicator_charts.drawing_inputs.cache_clear()


def test_chart_axis_titles_come_from_the_unit_registry(monkeypatch, unkept_movements):
    from mhwkb import indicator_charts

    charts.setup()
    monkeypatch.setitem(scales.UNITS, "fte", scales.UnitLabel("FTE", "whole-time posts, edited"))
    drawn = str(indicator_charts.indicator_figure(kb.indicator("mh_nurses_fte"), 1))
    assert "Whole-time posts, edited" in drawn and "FTE in October 2016" in drawn


def test_a_series_in_another_unit_gets_its_own_panel(monkeypatch, unkept_movements):
    """A series declaring its own unit is never drawn on the main series' axis."""
    import pandas as pd

    from mhwkb import indicator_charts

    charts.setup()
    ind = kb.indicator("gp_fte")
    ind = ind.model_copy(
        update={
            "series": {
                **ind.series,
                "share": schemas.Series(
                    label="Share of posts filled",
                    definition="Filled posts as a share of funded posts.",
                    comparability="A share, not a count: it cannot share the count's axis.",
                    unit="percent",
                ),
            }
        }
    )
    rows = kb.observations("gp_fte")
    extra = rows.iloc[[0]].assign(series="share", value=93.5, line=999, decimals=1)

    def observations(indicator_id, **where):
        both = pd.concat([rows, extra])
        for column, value in where.items():
            both = both[both[column] == value]
        return both

    monkeypatch.setattr(indicator_charts, "observations", observations)
    monkeypatch.setattr(since, "observations", observations)
    drawn = str(indicator_charts.indicator_figure(ind, 1))
    assert drawn.count('<figure class="kb-figure">') == 2
    main, panel = drawn.split('<figure class="kb-figure">')[1:]
    assert "Full-time equivalent staff (FTE)" in main and "93.5" not in main.split("kb-desc")[0]
    assert "Per cent" in panel and "Share of posts filled" in panel
    assert "93.5%" in panel  # its caption gives the value with its own unit


def test_a_breakdown_line_takes_its_group_total_not_the_total_plus_its_parts():
    """Nursing support staff in other psychiatry: the printed all-roles row (19,337 FTE in
    October 2009) is drawn, not added to the three roles that make it up."""
    import base64
    import re

    from mhwkb import indicator_charts

    charts.setup()
    drawn = str(indicator_charts.indicator_figure(kb.indicator("nursing_support_fte"), 1))
    link = re.search(
        r'download="nursing_support_fte_breakdown.csv" href="data:text/csv;base64,([^"]+)"', drawn
    )
    csv = base64.b64decode(link.group(1)).decode()
    assert 'Other psychiatry (mainly inpatient),October 2009,"19,337"' in csv
    assert "38,652" not in csv


@pytest.mark.parametrize(
    "unit,value,text",
    [("percent_change", -8, "-8%"), ("percentage_points", 3.5, "3.5 percentage points")],
)
def test_fmt_of_changes(unit, value, text):
    assert prose.fmt(value, unit) == text


def test_a_series_unit_overrides_the_indicator_unit():
    ind = schemas.Indicator.model_validate(
        {
            "id": "consultants",
            "title": "Consultants",
            "unit": "fte",
            "definition": "d",
            "geography": "England",
            "source": "cmh2017",
            "frequency": "annual",
            "series": {
                "people": {
                    "label": "People",
                    "definition": "d",
                    "comparability": "A headcount, not FTE.",
                    "unit": "headcount",
                },
                "other": {"label": "Other", "definition": "d", "comparability": "Another method."},
            },
        }
    )
    assert [ind.series_unit(x) for x in ("", "people", "other")] == ["fte", "headcount", "fte"]


def test_data_version_is_the_newest_release():
    from mhwkb.changelog import read_changelog
    from mhwkb.datapackage import DESCRIPTOR, data_version, descriptor
    from mhwkb.fileio import DataFile

    text = "# Data changelog\n\n## 1.2.0 (2026-11-24)\n\n- Newer.\n\n## 1.1.0 (2026-11-23)\n\n- Older.\n"
    releases, problems = read_changelog(DataFile("CHANGELOG.md", text.encode()))
    assert problems == [] and [r.version for r in releases] == ["1.2.0", "1.1.0"]
    version, released = data_version()
    assert descriptor()["version"] == version
    assert descriptor()["created"].startswith(released)
    assert f'"version": "{version}"' in DESCRIPTOR.read_text(encoding="utf-8")


def _reader(files: dict):
    return lambda name: files.get(name)


def test_data_diff_describes_a_new_status_entry_and_a_revised_figure():
    from mhwkb.diff import compare
    from mhwkb.paths import DATA

    names = ["observations.csv", "recommendations.yaml", "CHANGELOG.md", "references.bib"]
    old = {n: (DATA / n).read_bytes() for n in names}
    new = dict(old)
    new["observations.csv"] = old["observations.csv"].replace(
        b"gp_fte,,2016-03,,,,34914,", b"gp_fte,,2016-03,,,,34915,"
    )
    new["recommendations.yaml"] = old["recommendations.yaml"].replace(
        b"    assessed_by: Knowledge base editors\n  - date: '2026-11-25'",
        b"    assessed_by: Knowledge base editors\n  - date: '2026-11-01'\n"
        b"    status: no_action_found\n    criterion: >-\n"
        b"      A search of published sources found no action on what the recommendation asks.\n"
        b"    confidence: press\n    note: Nothing found.\n    sources: [cmh2017]\n"
        b"    assessed_by: A volunteer\n  - date: '2026-11-25'",
        1,
    )
    new["CHANGELOG.md"] = old["CHANGELOG.md"].replace(
        b"## 1.0.0", b"## 1.1.0 (2026-11-24)\n\n- A status entry.\n\n## 1.0.0"
    )
    lines = compare(_reader(old), _reader(new))
    assert (
        "Observation gp_fte 2016-03 revised from 34914 to 34915 (source nhsdigital2016)." in lines
    )
    assert (
        "Recommendation 1: status entry added: no_action_found (2026-11-01, source cmh2017)."
        in lines
    )
    assert "Release added: 1.1.0 (2026-11-24)." in lines
    assert not any("moved from" in line for line in lines), lines
    assert compare(_reader(old), _reader(old)) == []


def test_data_diff_names_a_revised_target_an_organisation_change_and_new_views():
    from mhwkb.diff import compare
    from mhwkb.paths import DATA

    names = ["indicators.yaml", "organisations.yaml", "recommendations.yaml"]
    old = {n: (DATA / n).read_bytes() for n in names}
    new = {
        "indicators.yaml": old["indicators.yaml"].replace(
            b"      value: 11000\n      deadline: 2031/32\n",
            b"      value: 12000\n      deadline: 2032/33\n",
        ),
        "organisations.yaml": old["organisations.yaml"]
        .replace(
            b"    became: nhse\n    source: uksi2023_368\n",
            b"    became: dhsc\n    source: uksi2023_368\n",
        )
        .replace(
            b"      State and integrated care boards\n    source: dhsc2026_health_bill\n",
            b"      State and integrated care boards\n    source: dhsc2026_health_bill\n"
            b"  - date: '2026-11-01'\n    what: Abolished\n    became: dhsc\n    source: pj2018\n",
        ),
        "recommendations.yaml": old["recommendations.yaml"].replace(
            b"  - date: '2026-12-06'\n",
            b"  - date: '2026-11-30'\n"
            b"    status: under_way\n    criterion: >-\n"
            b"      Action on what the recommendation asks has reached some services, staff or\n"
            b"      students, but it covers only part of what is asked.\n"
            b"    confidence: own_reports\n    note: Sources differ.\n"
            b"    sources: [cmh2017, pj2018]\n"
            b"    views:\n    - {source: cmh2017, says: Little has changed.}\n"
            b"    - {source: pj2018, says: Much has changed.}\n"
            b"    assessed_by: A volunteer\n  - date: '2026-12-06'\n",
            1,
        ),
    }
    assert all(new[n] != old[n] for n in names)
    lines = compare(_reader(old), _reader(new))
    assert lines == [
        "Target ltwp_mh_nursing_places of health_training_places: value revised from 11000 to "
        "12000; deadline revised from 2031/32 to 2032/33.",
        "Organisation hee: change of 2023-04-01: became revised from nhse to dhsc.",
        "Organisation nhse: change added: 2026-11-01, Abolished; became dhsc (source pj2018).",
        "Recommendation 1: status entry added: under_way (2026-11-30, sources cmh2017, "
        'pj2018); views: cmh2017 says "Little has changed."; pj2018 says "Much has changed.".',
    ]


def test_data_last_changed_is_the_newest_release_naming_the_indicator(tmp_path):
    from mhwkb.indicator_data import data_last_changed

    log = tmp_path / "CHANGELOG.md"
    log.write_text(
        "# Data changelog\n\n## 1.2.0 (2026-11-26)\n\n- Figures for gp_fte_locum.\n\n"
        "## 1.1.0 (2026-11-25)\n\n- The 2017 figure of `gp_fte`.\n\n"
        "## 1.0.0 (2026-11-23)\n\n- First release: gp_fte and leaver_rate.\n",
        encoding="utf-8",
    )
    assert data_last_changed("gp_fte", log) == "2026-11-25"
    assert data_last_changed("leaver_rate", log) == "2026-11-23"
    assert data_last_changed("mh_nurses_fte", log) is None


def test_changelog_and_bibliography_are_traced_by_part(tmp_path, monkeypatch):
    from mhwkb import refresh

    (tmp_path / "data").mkdir()
    log = tmp_path / "data/CHANGELOG.md"
    bib = tmp_path / "data/references.bib"
    log.write_text("# Log\n\n## 1.0.0 (2026-11-23)\n\n- First.\n", encoding="utf-8")
    bib.write_text("@misc{a,\n  title = {A}\n}\n\n@misc{b,\n  title = {B}\n}\n", encoding="utf-8")
    monkeypatch.setattr(refresh, "ROOT", tmp_path)
    parts = ["data/CHANGELOG.md#release=latest", "data/references.bib#key=a", "data/CHANGELOG.md"]

    def digests():
        refresh._parsed.cache_clear()
        return [refresh.file_digest(p) for p in parts]

    before = digests()
    log.write_text(log.read_text(encoding="utf-8") + "- Also this.\n", encoding="utf-8")
    bib.write_text(bib.read_text(encoding="utf-8").replace("{B}", "{B2}"), encoding="utf-8")
    after = digests()
    assert after[:2] == before[:2] and after[2] != before[2]
    log.write_text(
        log.read_text(encoding="utf-8").replace(
            "## 1.0.0", "## 1.1.0 (2026-11-24)\n\n- New.\n\n## 1.0.0"
        ),
        encoding="utf-8",
    )
    bib.write_text(bib.read_text(encoding="utf-8").replace("{A}", "{A2}"), encoding="utf-8")
    newer = digests()
    assert newer[0] != after[0] and newer[1] != after[1]


ENTRY = "@misc{kept2026,\n  author = {{Kept Body}},\n  title = {A title},\n  year = {2026}\n}\n"


@pytest.fixture
def new_process():
    """Forget what this process knows of the bibliography, as a new run would (and again
    after the test, so the tests after it read the project's own answers)."""
    from mhwkb import bibliography

    def forget():
        bibliography._read.cache_clear()
        bibliography._printable_answers.cache_clear()
        bibliography._formatted.cache_clear()

    forget()
    yield forget
    forget()


def test_kept_bibliography_answers_follow_the_text_of_each_entry(
    tmp_path, monkeypatch, new_process
):
    """What a run keeps for the next (whether an entry prints, its plain text) is found again
    only for the same text: an entry edited since is checked and read again, and the kept file
    holds the current entries alone."""
    from mhwkb import bibliography, kept

    monkeypatch.setattr(kept, "CACHE", tmp_path / "kept")
    bib = tmp_path / "references.bib"

    def next_run(text: str):
        bib.write_text(text, encoding="utf-8")
        new_process()  # it knows only what was kept
        return bibliography.read(bib).problems

    assert next_run(ENTRY) == []
    assert bibliography.plain_entries(bib)["kept2026"]["title"] == "A title"
    assert list(kept.load(bibliography.PRINTABLE).values()) == [None]
    problems = next_run(ENTRY.replace("{A title}", "{A title},\n  note = {{% raw %} and 12%}"))
    assert [p.field for p in problems] == ["kept2026.note"]
    assert "cannot print it (unbalanced braces)" in problems[0].message
    assert list(kept.load(bibliography.PRINTABLE).values()) == [["note", "unbalanced braces"]]
    assert next_run(ENTRY.replace("A title", "Another title")) == []
    assert bibliography.plain_entries(bib)["kept2026"]["title"] == "Another title"
    assert len(kept.load(bibliography.PLAIN)) == 1


def test_kept_formatted_references_follow_the_text_of_each_entry(
    tmp_path, monkeypatch, new_process
):
    """A build formats an entry again when its text changed since the last, keeps only what it
    used, and gives each entry the label it is asked for (an entry's number changes when one
    is added before it); a kept file it cannot read is an empty one."""
    from pybtex.database import parse_string

    from mhwkb import bibliography, kept

    monkeypatch.setattr(kept, "CACHE", tmp_path / "kept")

    def next_build(text: str, label: str = "a"):
        new_process()
        entry = parse_string(text, "bibtex").entries["kept2026"]
        formatted = bibliography.formatting_style()().format_entry(label, entry)
        bibliography.keep_formatted()
        return formatted.label, formatted.text.render_as("text")

    assert next_build(ENTRY) == ("a", "Kept Body. A title. 2026.")
    assert (
        next_build(ENTRY.replace("A title", "Another title"))[1]
        == "Kept Body. Another title. 2026."
    )
    assert next_build(ENTRY, label="b")[0] == "b"
    assert len(kept.load(bibliography.FORMATTED)) == 1
    (kept.CACHE / bibliography.FORMATTED).write_bytes(b"not a pickle")
    assert kept.load(bibliography.FORMATTED) == {}
    assert next_build(ENTRY)[1] == "Kept Body. A title. 2026."


def test_kept_schema_answers_follow_the_descriptor(tmp_path, monkeypatch):
    """What Frictionless says of a release's Table Schema is kept by the schema's text: a
    changed schema is checked afresh."""
    from mhwkb import kept, sources

    monkeypatch.setattr(kept, "CACHE", tmp_path / "kept")
    good = {"fields": [{"name": "month", "type": "date"}], "primaryKey": ["month"]}
    bad = {"fields": [{"name": "month", "type": "no-such-type"}], "primaryKey": ["month"]}
    assert sources.schema_errors(good) == []
    assert sources.schema_errors(bad) and "no-such-type" in " ".join(sources.schema_errors(bad))
    assert sorted(map(len, kept.load(sources.SCHEMAS).values())) == [0, 1]


def test_reference_loader_reads_one_entry():
    assert kb.reference("cmh2017")["title"] == "The future of the mental health workforce"
    with pytest.raises(KeyError):
        kb.reference("no_such_key")


def test_the_package_has_no_import_cycle():
    """Each layer imports only those below it, at the top of a module or inside a function."""
    import ast

    package = ROOT / "mhwkb"
    modules = {p.stem for p in package.glob("*.py")}
    imports = {m: set() for m in modules}
    for m in modules:
        for node in ast.walk(ast.parse((package / f"{m}.py").read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("mhwkb"):
                parts = node.module.split(".")
                named = [parts[1]] if len(parts) > 1 else [a.name for a in node.names]
                imports[m] |= {n for n in named if n in modules and n != m}

    def reaches(start: str) -> set[str]:
        seen, todo = set(), list(imports[start])
        while todo:
            m = todo.pop()
            if m not in seen:
                seen.add(m)
                todo += imports[m]
        return seen

    assert sorted(m for m in modules if m in reaches(m)) == []


def test_the_rating_scale_is_defined_once_and_quoted_word_for_word():
    assert since.STATUS_LABELS == {k: r.label for k, r in scales.STATUSES.items()}
    assert since.CONFIDENCE_LABELS == {k: r.label for k, r in scales.CONFIDENCE.items()}
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for key, rating in scales.STATUSES.items():
        if key != "published":
            assert f"| `{key}` | {rating.criterion}" in guide, key
    dictionary = (ROOT / "data" / "DICTIONARY.md").read_text(encoding="utf-8")
    for key, rating in [*scales.STATUSES.items(), *scales.CONFIDENCE.items()]:
        assert f"| `{key}` | {rating.label} | {rating.criterion} |" in dictionary, key
    assert set(scales.FORMER_STATUSES.values()) <= set(scales.STATUSES)


def test_every_later_assessment_quotes_its_criterion_and_names_its_confidence():
    for rec in kb.records("recommendations"):
        for entry in rec.status[1:]:
            assert fields.same_words(entry.criterion, scales.STATUSES[entry.status].criterion)
            assert entry.confidence in scales.CONFIDENCE
            assert scales.STATUSES[entry.status].label.lower() not in entry.note.lower()
            assert all(v.source in entry.sources for v in entry.views)
            assert len(entry.views) != 1


def test_a_cached_answer_still_records_what_it_read(tmp_path, monkeypatch):
    """A chapter that asks for a movement worked out before is still known to read its data."""
    trace = tmp_path / "reads"
    monkeypatch.setenv("MHWKB_TRACE", str(trace))
    since.movement("mh_nurses_fte")
    first = trace.read_text(encoding="utf-8")
    trace.unlink()
    since.movement("mh_nurses_fte")
    assert trace.read_text(encoding="utf-8") == first
    assert "data/observations.csv#indicator=mh_nurses_fte" in first
