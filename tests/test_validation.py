"""Bad contributor edits fail validation with path:line: field: message, and nothing is written."""

import re

import pytest
from conftest import mhwkb

OBS = "data/observations.csv"
IND = "data/indicators.yaml"
TAB = "data/tables.yaml"
BIB = "data/references.bib"
FACTS = "data/facts.csv"


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture text not found: {old!r}"
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (name, file, old text, new text, field named in the message, words the message must contain)
BAD_EDITS = [
    ("letter in a number", OBS, "general,5709,", "general,57O9,", "value", "valid number"),
    (
        "total no longer adds up",
        OBS,
        "forensic,549,",
        "forensic,594,",
        "printed[0].value",
        "add up to 8,864 (observations.csv lines 26-31)",
    ),
    (
        "unknown indicator",
        OBS,
        "psychiatrists_fte,,2016-10,,,general",
        "psychiatrist_fte,,2016-10,,,general",
        "indicator",
        "unknown indicator 'psychiatrist_fte'",
    ),
    (
        "missing source",
        OBS,
        "general,5709,provisional,nhsdigital2017b,",
        "general,5709,provisional,,",
        "source",
        "at least 1 character",
    ),
    (
        "source not in the bibliography",
        OBS,
        "general,5709,provisional,nhsdigital2017b,",
        "general,5709,provisional,nhsdigital2018,",
        "source",
        "'nhsdigital2018' is not a key",
    ),
    (
        "duplicate row",
        OBS,
        "psychiatrists_fte,,2016-10,,,forensic,549,provisional,nhsdigital2017b,\n",
        "psychiatrists_fte,,2016-10,,,forensic,549,provisional,nhsdigital2017b,\n"
        "psychiatrists_fte,,2016-10,,,forensic,550,provisional,nhsdigital2017b,\n",
        "(row)",
        "duplicate",
    ),
    (
        "malformed period",
        OBS,
        "psychiatrists_fte,,2016-10,,,general",
        "psychiatrists_fte,,Oct 2016,,,general",
        "period",
        "is not a period",
    ),
    (
        "financial year out of order",
        OBS,
        "leaver_rate,,2012/13,",
        "leaver_rate,,2012/14,",
        "period",
        "not a financial year",
    ),
    (
        "status outside the vocabulary",
        OBS,
        "general,5709,provisional,",
        "general,5709,draft,",
        "status",
        "'final', 'provisional'",
    ),
    (
        "breakdown value not allowed",
        OBS,
        ",,,forensic,549",
        ",,,forensics,549",
        "subgroup",
        "'forensics' is not an allowed value",
    ),
    ("negative count", OBS, "general,5709,", "general,-5709,", "value", "cannot be negative"),
    (
        "row with too many cells",
        OBS,
        "general,5709,provisional,nhsdigital2017b,",
        "general,5,709,provisional,nhsdigital2017b,",
        "(row)",
        "double quotes",
    ),
    (
        "unknown field in YAML",
        IND,
        "  frequency: one-off\n  policy: >-",
        "  frequency: one-off\n  polciy: >-",
        "polciy",
        "unknown field",
    ),
    (
        "bad YAML syntax",
        IND,
        "- id: mh_leavers\n",
        "- id: mh_leavers\n  title: [unclosed\n",
        "(syntax)",
        "not valid YAML",
    ),
    (
        "duplicate YAML key",
        IND,
        "- id: mh_leavers\n",
        "- id: mh_leavers\n  id: mh_leavers_again\n",
        "id",
        "duplicate key",
    ),
    (
        "duplicate indicator id",
        IND,
        "- id: mh_leavers\n",
        "- id: mh_vacancy_rate\n",
        "id",
        "duplicate",
    ),
    (
        "wrong type in YAML",
        TAB,
        "      value: 8819",
        "      value: many",
        "printed[0].value",
        "valid number",
    ),
    (
        "unit outside the vocabulary",
        IND,
        "  unit: headcount\n",
        "  unit: heads\n",
        "unit",
        "Input should be",
    ),
    (
        "duplicate citation key",
        BIB,
        "@techreport{boorman2009,",
        "@techreport{addicott2015,",
        "addicott2015",
        "duplicate citation key",
    ),
    (
        "release date without the source that gives it",
        IND,
        "  frequency: one-off\n  policy: >-",
        "  frequency: one-off\n  next_release: {date: 2027-01-29}\n  policy: >-",
        "next_release.source",
        "required field is missing",
    ),
    (
        "fact about an unknown subject",
        FACTS,
        "cfwi_attrition_age_limit,current_workforce,",
        "cfwi_attrition_age_limit,current_workfroce,",
        "subject",
        "not a record id",
    ),
]


@pytest.mark.parametrize("name,path,old,new,field,words", BAD_EDITS, ids=[b[0] for b in BAD_EDITS])
def test_bad_edit_is_reported_with_file_line_and_field(project, name, path, old, new, field, words):
    target = project / path
    edited = replace_line(target.read_text(encoding="utf-8"), old, new)
    target.write_text(edited, encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()}

    result = mhwkb(project, "validate")

    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    reported = TAB if field.startswith("printed") else path  # a broken total points at its check
    pattern = re.compile(rf"^{re.escape(reported)}:(\d+): {re.escape(field)}: .*{re.escape(words)}")
    hits = [m for m in map(pattern.match, lines) if m]
    assert hits, f"no line like '{reported}:N: {field}: ...{words}...' in:\n{result.stdout}"
    assert all(int(m.group(1)) >= 1 for m in hits)
    assert {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()} == before, (
        "validation wrote a file"
    )


def test_row_line_number_is_the_csv_line(project):
    target = project / OBS
    text = replace_line(target.read_text(encoding="utf-8"), "general,5709,", "general,x,")
    target.write_text(text, encoding="utf-8")
    result = mhwkb(project, "validate")
    assert f"{OBS}:{line_of(text, 'general,x,')}: value:" in result.stdout


def test_every_problem_is_reported_at_once(project):
    target = project / OBS
    text = target.read_text(encoding="utf-8")
    text = replace_line(text, "general,5709,", "general,x,")
    text = replace_line(
        text, "psychiatrists_fte,,2016-10,,,forensic", "psychiatrists_fte,,2016-13,,,forensic"
    )
    target.write_text(text, encoding="utf-8")
    out = mhwkb(project, "validate").stdout
    assert ": value:" in out and ": period:" in out


def test_non_utf8_file_is_reported(project):
    target = project / OBS
    target.write_bytes(
        target.read_bytes().replace(b"Approximate annual", b"Approximate \xe9annual")
    )
    result = mhwkb(project, "validate")
    assert result.returncode == 1
    assert re.search(rf"^{OBS}:\d+: \(encoding\): .*UTF-8", result.stdout, re.M)


def test_valid_data_passes(project):
    result = mhwkb(project, "validate")
    assert result.returncode == 0, result.stdout
    assert result.stdout == ""
