"""Bad contributor edits are refused with path:line: field: message, one message per mistake.

Each case edits the data in memory and calls the validator as a function (``validate(edits=)``),
so the whole table runs in seconds; ``test_command_line_*`` run ``python -m mhwkb validate``
end to end on a copy of the project. Valid edits (CRLF line endings, long notes, a series with
its own unit, a whole contribution) must pass.
"""

import re
import subprocess
import sys
from dataclasses import dataclass, field

import pytest
from conftest import ROOT

from mhwkb import scales
from mhwkb.validate import validate

DATA = ROOT / "data"
ORIGINAL = {p.name: p.read_bytes() for p in DATA.iterdir() if p.is_file()}

OBS, FACTS, IND, TAB = "observations.csv", "facts.csv", "indicators.yaml", "tables.yaml"
REC, FIND, BIB, LOG = "recommendations.yaml", "findings.yaml", "references.bib", "CHANGELOG.md"
SRC, REL = "sources.yaml", "releases.csv"


def text(name: str) -> str:
    return ORIGINAL[name].decode("utf-8")


def replace(name: str, old: str, new: str) -> dict[str, bytes]:
    assert old in text(name), f"fixture text not in {name}: {old!r}"
    return {name: text(name).replace(old, new, 1).encode("utf-8")}


def append(name: str, extra: str) -> dict[str, bytes]:
    return {name: (text(name) + extra).encode("utf-8")}


def line_in(edits: dict, name: str, needle: str) -> int:
    edited = edits.get(name, ORIGINAL[name]).decode("utf-8", errors="replace")
    assert needle in edited, f"{needle!r} not in the edited {name}"
    return edited[: edited.index(needle)].count("\n") + 1


@dataclass
class Case:
    """An edit and the messages it must give: (file, where, field, words).

    ``where`` is a line number, the text that starts the line, or (text, lines below it).
    """

    name: str
    edits: dict
    expect: list = field(default_factory=list)

    def lines(self) -> list[tuple[str, int, str, str]]:
        out = []
        for path, at, fld, words in self.expect:
            if isinstance(at, tuple):
                line = line_in(self.edits, path, at[0]) + at[1]
            else:
                line = at if isinstance(at, int) else line_in(self.edits, path, at)
            out.append((f"data/{path}", line, fld, words))
        return out


def bad(name: str, edits: dict, path: str, at, fld: str, words: str, *more) -> Case:
    """A mistake that must give exactly the listed messages (usually one)."""
    return Case(name, edits, [(path, at, fld, words), *more])


RELEASE_AT = "  frequency: one-off\n  policy: >-"  # the first indicator, which has no release date
NEXT_RELEASE = "next_release: {{date: {}, source: hee2017}}\n  policy"
ROW = "psychiatrists_fte,,2016-10,,,general,5709,provisional,nhsdigital2017b,"
PSYCHIATRISTS_TOTAL = (
    "psychiatrists_fte,,2016-10,,,,{},provisional,nhsdigital2017b,,\n"  # rows: 8,819
)
IMPORTED_ROW = next(  # a row the importer derived from a stored release
    line + "\n"
    for line in text(OBS).splitlines()
    if line.startswith("staff_sickness_absence,,2024-04,,mental_health,")
)
LEAVERS = "leaver_rate,,2015/16,,mental_health_trusts,,13.6,final,hee2017,"
FACT = "cfwi_attrition_age_limit,current_workforce,"
AGE = ",53,years,2014,England,cfwi2014,"
THERAPISTS = ",1700,headcount,2020/21,"
BILLION_LAUGHS = (
    "\n- id: lol\n  notes: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"  l{n}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]\n" for n in range(8))
)
NEW_SOURCE = (
    "\n@misc{nhsdigital2018,\n  author = {{NHS Digital}},\n"
    "  title = {Mental health workforce statistics},\n  year = {2018}\n}\n"
)
NEWEST = re.search(r"^## (\d+)\.(\d+)\.(\d+) \((\S+)\)\n\n(.{6})", text(LOG), re.MULTILINE)
RELEASE = NEWEST.group(0).split("\n")[0]  # the newest release heading; edits go above it
VERSION, DAY = ".".join(NEWEST.groups()[:3]), NEWEST.group(4)
NEXT = f"{NEWEST.group(1)}.{int(NEWEST.group(2)) + 1}.0"

NEWEST_ENTRY = "  - date: '2026-12-06'\n"  # rec01's current status: an edit goes before it


UNDER_WAY = scales.STATUSES["under_way"].criterion


def later_entry(
    day: str,
    status: str = "under_way",
    criterion: str | None = UNDER_WAY,
    confidence: str | None = "own_reports",
    extra: str = "",
    note: str = "Later.",
) -> dict[str, bytes]:
    """rec01 with a status entry added before its current one, the newest a day can have (today
    is its date); ``extra`` adds more fields, as lines."""
    entry = (
        f"  - date: '{day}'\n    status: {status}\n"
        + (f"    criterion: {criterion}\n" if criterion is not None else "")
        + (f"    confidence: {confidence}\n" if confidence is not None else "")
        + f"    note: {note}\n    sources: [cmh2017]\n"
        + extra
        + "    assessed_by: Someone\n"
    )
    return replace(REC, NEWEST_ENTRY, entry + NEWEST_ENTRY)


def moved_last(name: str, first: str, before: str) -> dict[str, bytes]:
    """The file's last record, from the text ``first`` to the end, moved to before ``before``."""
    edited = text(name)
    block = edited[edited.index(first) :]
    return {name: edited.replace(block, "").replace(before, block + before, 1).encode()}


BAD_EDITS = [
    # observations.csv: numbers
    bad(
        "letter in a number",
        replace(OBS, ROW, ROW.replace("5709", "57O9")),
        OBS,
        "57O9",
        "value",
        "not a plain number",
    ),
    bad(
        "thousands separator",
        replace(OBS, ROW, ROW.replace("5709", '"5,709"')),
        OBS,
        "5,709",
        "value",
        "no commas",
    ),
    bad(
        "per cent sign",
        replace(OBS, LEAVERS, LEAVERS.replace("13.6", "13.6%")),
        OBS,
        "13.6%",
        "value",
        "% sign",
    ),
    bad(
        "blank value",
        replace(OBS, ROW, ROW.replace("5709", "")),
        OBS,
        "general,,",
        "value",
        "a number is needed",
    ),
    bad(
        "NaN",
        replace(OBS, ROW, ROW.replace("5709", "NaN")),
        OBS,
        "NaN",
        "value",
        "not a plain number",
    ),
    bad(
        "inf",
        replace(OBS, ROW, ROW.replace("5709", "inf")),
        OBS,
        ",inf,",
        "value",
        "not a plain number",
    ),
    bad(
        "1e309 overflows",
        replace(OBS, ROW, ROW.replace("5709", "1e309")),
        OBS,
        "1e309",
        "value",
        "finite",
    ),
    bad(
        "an FTE of 1e15",
        replace(OBS, ROW, ROW.replace("5709", "1e15")),
        OBS,
        "1e15",
        "value",
        "plausible range for fte",
    ),
    bad(
        "negative count",
        replace(OBS, ROW, ROW.replace("5709", "-5709")),
        OBS,
        "-5709",
        "value",
        "cannot be negative",
    ),
    bad(
        "a percentage of 140",
        replace(OBS, LEAVERS, LEAVERS.replace("13.6", "140")),
        OBS,
        ",140,",
        "value",
        "plausible range for percent",
    ),
    bad(
        "negative percentage",
        replace(OBS, LEAVERS, LEAVERS.replace("13.6", "-13.6")),
        OBS,
        "-13.6",
        "value",
        "cannot be negative",
    ),
    # observations.csv: links and vocabularies
    bad(
        "unknown indicator",
        replace(OBS, ROW, ROW.replace("psychiatrists_fte", "psychiatrist_fte")),
        OBS,
        "psychiatrist_fte,",
        "indicator",
        "unknown indicator 'psychiatrist_fte'; did you mean 'psychiatrists_fte'",
    ),
    bad(
        "indicator id in capitals",
        replace(OBS, ROW, ROW.replace("psychiatrists_fte", "Psychiatrists_FTE")),
        OBS,
        "Psychiatrists_FTE",
        "indicator",
        "lower case",
    ),
    bad(
        "missing source",
        replace(OBS, ROW, ROW.replace("nhsdigital2017b", "")),
        OBS,
        "general,5709",
        "source",
        "must not be blank",
    ),
    bad(
        "source not in the bibliography",
        replace(OBS, ROW, ROW.replace("nhsdigital2017b", "nhsdigital2018")),
        OBS,
        "nhsdigital2018",
        "source",
        "'nhsdigital2018' is not a key in data/references.bib",
    ),
    bad(
        "duplicate row",
        replace(OBS, ROW + ",", ROW + ",\n" + ROW.replace("5709", "5710") + ","),
        OBS,
        "5710",
        "(row)",
        "duplicate",
    ),
    bad(
        "malformed period",
        replace(OBS, ROW, ROW.replace("2016-10", "Oct 2016")),
        OBS,
        "Oct 2016",
        "period",
        "is not a period",
    ),
    bad(
        "no month 13",
        replace(OBS, ROW, ROW.replace("2016-10", "2016-13")),
        OBS,
        "2016-13",
        "period",
        "no month 13",
    ),
    bad(
        "day not in the calendar",
        replace(OBS, ROW, ROW.replace("2016-10", "2019-02-30")),
        OBS,
        "2019-02-30",
        "period",
        "not a date in the calendar",
    ),
    bad(
        "year out of range",
        replace(OBS, ROW, ROW.replace("2016-10", "2916-10")),
        OBS,
        "2916-10",
        "period",
        "not between 1900 and 2100",
    ),
    bad(
        "financial year out of order",
        replace(OBS, "leaver_rate,,2012/13,", "leaver_rate,,2012/14,"),
        OBS,
        "2012/14",
        "period",
        "not a financial year",
    ),
    bad(
        "range ends before it starts",
        replace(OBS, ROW, ROW.replace("2016-10", "2016-11..2016-09")),
        OBS,
        "2016-11..",
        "period",
        "ends before it starts",
    ),
    bad(
        "status outside the vocabulary",
        replace(OBS, ROW, ROW.replace("provisional", "draft")),
        OBS,
        "draft",
        "status",
        "'final', 'provisional'",
    ),
    bad(
        "breakdown value not allowed",
        replace(OBS, "forensic,549,", "forensics,549,"),
        OBS,
        "forensics",
        "subgroup",
        "'forensics' is not an allowed value",
    ),
    bad(
        "breakdown the indicator does not have",
        replace(OBS, ROW, ROW.replace("2016-10,,,general", "2016-10,england,,general")),
        OBS,
        "england",
        "country",
        "has no 'country' breakdown",
    ),
    bad(
        "undeclared series",
        replace(OBS, ROW, ROW.replace("psychiatrists_fte,,", "psychiatrists_fte,method_2018,")),
        OBS,
        "method_2018",
        "series",
        "has no series 'method_2018'",
    ),
    # observations.csv: the file itself
    bad(
        "row with too many cells",
        replace(OBS, ROW, ROW.replace("5709", "5,709")),
        OBS,
        "5,709",
        "(row)",
        "double quotes",
    ),
    bad(
        "row with too few cells",
        replace(OBS, ROW, ROW.replace(",5709,", ",")),
        OBS,
        "general,provisional",
        "(row)",
        "has 10 cells",
    ),
    bad(
        "unterminated quote",
        replace(OBS, ROW, ROW.replace("5709,provisional", '"5709,provisional')),
        OBS,
        '"5709',
        "(row)",
        "never closed",
    ),
    bad(
        "quote in the middle of a value",
        replace(OBS, ROW, ROW.replace("5709", '"57"09')),
        OBS,
        '"57"09',
        "(row)",
        "double quote in the middle",
    ),
    bad(
        "total no longer adds up",
        replace(OBS, "forensic,549,", "forensic,594,"),
        TAB,
        "value: 8819",
        "printed[0].value",
        "add up to 8,864 (observations.csv lines 26-31)",
    ),
    bad(
        "total that its parts do not add up to",
        append(OBS, PSYCHIATRISTS_TOTAL.format(8830)),
        OBS,
        PSYCHIATRISTS_TOTAL.format(8830),
        "value",
        "the 6 rows by specialty (lines 26, 27, 28, 29, 30, 31) add up to 8,819, not 8,830 "
        "(rounding allows ±3)",
    ),
    bad(
        "byte-order mark",
        {OBS: b"\xef\xbb\xbf" + ORIGINAL[OBS]},
        OBS,
        1,
        "(encoding)",
        "byte-order mark",
    ),
    bad(
        "not UTF-8",
        {OBS: ORIGINAL[OBS].replace(b"Approximate annual", b"Approximate \xe9annual")},
        OBS,
        "Approximate ",
        "(encoding)",
        "not valid UTF-8",
    ),
    bad(
        "control character",
        replace(OBS, "Approximate annual", "Approximate\x00annual"),
        OBS,
        "Approximate\x00",
        "(encoding)",
        "U+0000",
    ),
    bad(
        "misspelt column",
        replace(OBS, "indicator,series,period", "indicator,series,periode"),
        OBS,
        1,
        "(header)",
        "unknown column(s) 'periode'; missing column(s) period",
    ),
    bad("empty file", {OBS: b""}, OBS, 1, "(header)", "the file is empty"),
    bad("file deleted", {OBS: None}, OBS, 1, "(file)", "the file is missing"),
    bad(
        "file renamed",
        {OBS: None, "observation.csv": ORIGINAL[OBS]},
        OBS,
        1,
        "(file)",
        "data/observation.csv looks like it, was it renamed?",
    ),
    bad(
        "file nobody reads",
        {"notes.txt": b"to do"},
        "notes.txt",
        1,
        "(file)",
        "not a file the knowledge base reads",
    ),
    # facts.csv
    bad(
        "fact about an unknown subject",
        replace(FACTS, FACT, FACT.replace("current_workforce", "current_workfroce")),
        FACTS,
        "current_workfroce",
        "subject",
        "not a record id",
    ),
    bad(
        "negative headcount in facts",
        replace(FACTS, THERAPISTS, THERAPISTS.replace("1700", "-1700")),
        FACTS,
        "-1700",
        "value",
        "cannot be negative",
    ),
    bad(
        "an age of -40 years",
        replace(FACTS, AGE, AGE.replace("53", "-40")),
        FACTS,
        "-40",
        "value",
        "cannot be negative",
    ),
    bad(
        "an age of 400 years",
        replace(FACTS, AGE, AGE.replace("53", "400")),
        FACTS,
        ",400,",
        "value",
        "plausible range for years",
    ),
    bad(
        "a fact of 140 per cent",
        replace(FACTS, ",68,percent,", ",140,percent,"),
        FACTS,
        ",140,",
        "value",
        "plausible range for percent",
    ),
    bad(
        "negative money",
        replace(FACTS, ",1250000000,gbp,", ",-1250000000,gbp,"),
        FACTS,
        "-1250000000",
        "value",
        "cannot be negative",
    ),
    bad(
        "unit outside the vocabulary",
        replace(FACTS, AGE, AGE.replace("years", "yrs")),
        FACTS,
        ",yrs,",
        "unit",
        "Input should be",
    ),
    bad(
        "duplicate fact id",
        replace(FACTS, "fim_years,", "fim_investment,"),
        FACTS,
        "fim_investment,future_in_mind,Years",
        "(row)",
        "duplicate: fim_investment",
    ),
    bad(
        "blank label",
        replace(
            FACTS,
            "Upper age of the consultant psychiatrists whose attrition was compared with all NHS consultants",
            "",
        ),
        FACTS,
        FACT,
        "label",
        "must not be blank",
    ),
    bad(
        "impossible fact period",
        replace(FACTS, AGE, AGE.replace("2014", "2014-02-29")),
        FACTS,
        "2014-02-29",
        "period",
        "not a date in the calendar",
    ),
    # indicators.yaml
    bad(
        "misspelt field in an indicator with observations",
        replace(IND, "  policy: Little change", "  polciy: Little change"),
        IND,
        "polciy",
        "polciy",
        "unknown field",
    ),
    bad(
        "bad YAML syntax",
        replace(IND, "- id: mh_leavers\n", "- id: mh_leavers\n  title: [unclosed\n"),
        IND,
        "  title: [unclosed",
        "(syntax)",
        "not valid YAML",
    ),
    bad(
        "tab for indentation",
        replace(IND, "  unit: headcount\n", "\tunit: headcount\n"),
        IND,
        "\tunit",
        "(syntax)",
        "not valid YAML",
    ),
    bad(
        "duplicate YAML key",
        replace(IND, "- id: mh_leavers\n", "- id: mh_leavers\n  id: mh_leavers_again\n"),
        IND,
        "  id: mh_leavers_again",
        "id",
        "duplicate key",
    ),
    bad(
        "indicator pasted twice",
        append(
            IND,
            "\n- id: mh_leavers\n  title: Again\n  unit: headcount\n  definition: Again.\n"
            "  geography: England\n  source: hee2017\n  frequency: one-off\n",
        ),
        IND,
        "- id: mh_leavers\n  title: Again",
        "id",
        "duplicate: mh_leavers",
    ),
    bad(
        "renamed indicator id",
        replace(IND, "- id: psychiatrists_fte\n", "- id: psychiatrists_wte\n"),
        OBS,
        "psychiatrists_fte,",
        "indicator",
        "unknown indicator 'psychiatrists_fte'; did you mean 'psychiatrists_wte'",
        (TAB, "indicator: psychiatrists_fte", "indicator", "unknown indicator 'psychiatrists_fte'"),
        (FACTS, ",psychiatrists_fte,", "subject", "'psychiatrists_fte' is not a record id"),
        ("findings.yaml", "id: psychiatrists_fte", "evidence[1].id", "unknown indicator"),
    ),
    bad(
        "unit outside the vocabulary",
        replace(IND, "  unit: headcount\n", "  unit: heads\n"),
        IND,
        "unit: heads",
        "unit",
        "Input should be",
    ),
    bad(
        "frequency outside the vocabulary",
        replace(IND, "  frequency: one-off\n", "  frequency: yearly\n"),
        IND,
        "yearly",
        "frequency",
        "Input should be",
    ),
    bad(
        "python object tag",
        replace(IND, "  title: Staff leaving", "  title: !!python/object:os.system Staff leaving"),
        IND,
        "!!python",
        "(syntax)",
        "tags such as !!python/object:os.system are not allowed",
    ),
    bad(
        "binary tag",
        replace(IND, "  unit: headcount\n", "  unit: !!binary aGVhZGNvdW50\n"),
        IND,
        "!!binary",
        "(syntax)",
        "tags",
    ),
    bad("billion laughs", append(IND, BILLION_LAUGHS), IND, "  l4:", "(syntax)", "aliases expand"),
    bad(
        "deep nesting",
        replace(
            IND,
            "  unit: headcount\n",
            "  unit: headcount\n  notes: " + "[" * 5000 + "]" * 5000 + "\n",
        ),
        IND,
        "  notes: [",
        "(syntax)",
        "nested more than 20 levels",
    ),
    bad(
        "undefined alias",
        replace(IND, "values: *who_countries", "values: *who_cuntries"),
        IND,
        "*who_cuntries",
        "(syntax)",
        "has no anchor",
    ),
    bad(
        "alias inside itself",
        replace(IND, "- id: mh_leavers\n", "- id: mh_leavers\n  series: &loop {a: *loop}\n"),
        IND,
        "&loop",
        "(syntax)",
        "refers to the collection it is inside",
    ),
    bad(
        "huge integer",
        replace(TAB, "      value: 8819", "      value: " + "9" * 5000),
        TAB,
        "      value: 999",
        "(syntax)",
        "cannot read this value",
    ),
    bad(
        "impossible release date",
        replace(IND, RELEASE_AT, RELEASE_AT.replace("policy", NEXT_RELEASE.format("2017-11-31"))),
        IND,
        "2017-11-31",
        "next_release.date",
        "not a date in the calendar",
    ),
    bad(
        "release date in words",
        replace(
            IND, RELEASE_AT, RELEASE_AT.replace("policy", NEXT_RELEASE.format("end of November"))
        ),
        IND,
        "end of November",
        "next_release.date",
        "YYYY-MM-DD",
    ),
    bad(
        "release date without the source that gives it",
        replace(
            IND,
            RELEASE_AT,
            RELEASE_AT.replace("policy", "next_release: {date: 2027-01-29}\n  policy"),
        ),
        IND,
        "next_release:",
        "next_release.source",
        "required field is missing",
    ),
    bad(
        "level target out of range",
        replace(IND, "      value: 3250", "      value: 1e15"),
        IND,
        "value: 1e15",
        "targets[0].value",
        "plausible range for places",
    ),
    bad(
        "deadline before the baseline",
        replace(
            IND,
            '      baseline_period: "2017"\n      deadline: 2020/21',
            '      baseline_period: "2017"\n      deadline: 2015/16',
        ),
        IND,
        "    - id: fyfvmh_19000",
        "targets[0]",
        "comes before the baseline",
    ),
    bad(
        "series without a comparability note",
        replace(
            IND,
            "      comparability: >-\n        Counts only the first wave",
            "      comparabilty: >-\n        Counts only the first wave",
        ),
        IND,
        "comparabilty",
        "series.trailblazer.comparabilty",
        "unknown field 'comparabilty'; did you mean 'comparability'?",
    ),
    bad(
        "series with an unknown unit",
        replace(
            IND,
            "      label: Trailblazer teams evaluated\n",
            "      label: Trailblazer teams evaluated\n      unit: teams\n",
        ),
        IND,
        "unit: teams",
        "series.trailblazer.unit",
        "Input should be",
    ),
    bad(
        "series id in capitals",
        replace(IND, "    trailblazer:\n", "    Trailblazer:\n"),
        IND,
        "Trailblazer:",
        "series.Trailblazer.[key]",
        "lower case",
    ),
    bad(
        "blank title",
        replace(
            IND, "  title: Staff leaving NHS mental health services each year\n", "  title: ''\n"
        ),
        IND,
        "title: ''",
        "title",
        "must not be blank",
    ),
    bad(
        "not a list of records",
        {IND: b"id: gp_fte\ntitle: GPs\n"},
        IND,
        1,
        "(file)",
        "expected a list of records",
    ),
    bad(
        "two YAML documents",
        append(IND, "\n---\n- id: x\n"),
        IND,
        "---",
        "(syntax)",
        "not valid YAML",
    ),
    bad(
        "a key that is a list",
        append(IND, "\n- ? [a, b]\n  : c\n"),
        IND,
        "[a, b]",
        "(syntax)",
        "a key must be a plain name",
    ),
    # tables.yaml
    bad(
        "wrong type in a printed total",
        replace(TAB, "      value: 8819", "      value: many"),
        TAB,
        "value: many",
        "printed[0].value",
        "not a plain number",
    ),
    bad(
        "printed total that is negative",
        replace(TAB, "      value: 8819", "      value: -8819"),
        TAB,
        "value: -8819",
        "printed[0].value",
        "greater than or equal to 0",
    ),
    bad(
        "printed period the table does not show",
        replace(
            TAB,
            "    - period: 2016-10\n      value: 8819",
            "    - period: 2016-11\n      value: 8819",
        ),
        TAB,
        "period: 2016-11",
        "printed[0].period",
        "not one of the table's periods",
    ),
    bad(
        "printed group that does not exist",
        replace(
            TAB,
            "      group: community_psychiatry\n      value: 15295",
            "      group: community\n      value: 15295",
        ),
        TAB,
        "group: community\n",
        "printed[0].group",
        "not a group of the table",
    ),
    bad(
        "tolerance without a note",
        replace(
            TAB,
            "      tolerance: 1\n      note: The printed subtotal is one more than its rows (15,294), a rounding difference in the FTE figures.\n",
            "      tolerance: 1\n",
        ),
        TAB,
        "    - period: 2009-10\n      group: community_psychiatry",
        "printed[0]",
        "needs a note",
    ),
    bad(
        "rows by a breakdown the indicator lacks",
        replace(
            TAB,
            "  rows: subgroup\n  source: nhsdigital2017b",
            "  rows: country\n  source: nhsdigital2017b",
        ),
        TAB,
        "rows: country",
        "rows",
        "has no 'country' breakdown",
    ),
    bad(
        "table of an unknown indicator",
        replace(TAB, "indicator: psychiatrists_fte", "indicator: psychiatrist_fte"),
        TAB,
        "psychiatrist_fte",
        "indicator",
        "unknown indicator",
    ),
    # recommendations.yaml
    bad(
        "status in the future",
        replace(
            REC,
            "    assessed_by: Knowledge base editors\n  response:",
            "    assessed_by: Knowledge base editors\n  - date: '2999-01-01'\n    status: achieved\n    note: Done.\n    sources: [cmh2017]\n    assessed_by: Someone\n  response:",
        ),
        REC,
        "2999-01-01",
        "status[3].date",
        "not between 1900 and 2100",
    ),
    bad(
        "status tomorrow",
        replace(
            REC,
            "    assessed_by: Knowledge base editors\n  response:",
            "    assessed_by: Knowledge base editors\n  - date: '2099-01-01'\n    status: achieved\n    note: Done.\n    sources: [cmh2017]\n    assessed_by: Someone\n  response:",
        ),
        REC,
        "2099-01-01",
        "status[3].date",
        "is in the future",
    ),
    bad(
        "impossible status date",
        replace(REC, "  - date: '2017-09-01'", "  - date: '2019-02-30'"),
        REC,
        "2019-02-30",
        "status[0].date",
        "not a date in the calendar",
    ),
    bad(
        "unquoted impossible date",
        replace(REC, "  - date: '2017-09-01'", "  - date: 2019-02-30"),
        REC,
        "2019-02-30",
        "status[0].date",
        "not a date in the calendar",
    ),
    bad(
        "status entries out of order",
        later_entry("2020-01-01"),
        REC,
        "2020-01-01",
        "status[2].date",
        "2020-01-01 is out of date order: it belongs after status[0] (2017-09-01)",
    ),
    bad(
        "status entry dated before the report",
        later_entry("2016-01-01"),
        REC,
        "2016-01-01",
        "status[2].date",
        "2016-01-01 is before the report was published (2017-09-01)",
    ),
    bad(
        "later status entry rated published",
        later_entry("2026-12-01", "published"),
        REC,
        ("2026-12-01", 1),
        "status[2].status",
        "only the first entry, the report itself, is rated published",
    ),
    bad(
        "two status entries on one day",
        later_entry("2026-11-25"),
        REC,
        ("    note: Later.", -4),
        "status[2].date",
        "status[1] is also dated 2026-11-25; one entry a day",
    ),
    bad(
        "status outside the vocabulary",
        replace(REC, "    status: published\n", "    status: done\n"),
        REC,
        "status: done",
        "status[0].status",
        "Input should be",
    ),
    bad(
        "status of the earlier scale",
        later_entry("2026-12-01", "some_progress"),
        REC,
        ("2026-12-01", 1),
        "status[2].status",
        "'some_progress' is a rating of the earlier scale; the closest step of the present one "
        "is under_way",
    ),
    bad(
        "status value not on the scale",
        later_entry("2026-12-01", "nearly_done"),
        REC,
        ("2026-12-01", 1),
        "status[2].status",
        "Input should be 'published', 'no_action_found', 'action_announced', 'under_way'",
    ),
    bad(
        "later status entry without its criterion",
        later_entry("2026-12-01", criterion=None),
        REC,
        "2026-12-01",
        "status[2].criterion",
        f"missing: quote the criterion of under_way: '{UNDER_WAY}'",
    ),
    bad(
        "criterion of another status",
        later_entry("2026-12-01", criterion=scales.STATUSES["achieved"].criterion),
        REC,
        ("2026-12-01", 2),
        "status[2].criterion",
        "that is the criterion of achieved, not of under_way: rate the entry achieved, or quote "
        "the criterion of under_way",
    ),
    bad(
        "criterion in the editor's own words",
        later_entry("2026-12-01", criterion="Some of it has been done."),
        REC,
        ("2026-12-01", 2),
        "status[2].criterion",
        "not the criterion of under_way; quote it as the scale gives it",
    ),
    bad(
        "later status entry without its confidence",
        later_entry("2026-12-01", confidence=None),
        REC,
        "2026-12-01",
        "status[2].confidence",
        "missing: name the strongest kind of evidence behind the rating, one of "
        "independent_evaluation, official_statistics, own_reports, press",
    ),
    bad(
        "confidence not on the list",
        later_entry("2026-12-01", confidence="hearsay"),
        REC,
        ("2026-12-01", 3),
        "status[2].confidence",
        "Input should be 'independent_evaluation', 'official_statistics', 'own_reports' or 'press'",
    ),
    bad(
        "strong rating on a body's own reports",
        later_entry(
            "2026-12-01",
            "substantially_done",
            scales.STATUSES["substantially_done"].criterion,
        ),
        REC,
        ("2026-12-01", 1),
        "status[2].status",
        "substantially_done needs independent_evaluation or official_statistics behind it; on "
        "own_reports a rating goes no higher than under_way",
    ),
    bad(
        "note that repeats its rating",
        later_entry("2026-12-01", note="Work is under way."),
        REC,
        ("2026-12-01", 4),
        "status[2].note",
        "the note repeats its rating ('under way')",
    ),
    bad(
        "view from a source the entry does not cite",
        later_entry(
            "2026-12-01",
            extra="    views:\n    - source: cmh2017\n      says: One thing.\n"
            "    - source: nhsengland2025\n      says: Another.\n",
        ),
        REC,
        "    - source: nhsengland2025",
        "status[2].views[1].source",
        "'nhsengland2025' is not among this entry's sources; a view reports what a source the "
        "entry cites says",
    ),
    bad(
        "a single view",
        later_entry(
            "2026-12-01", extra="    views:\n    - source: cmh2017\n      says: One thing.\n"
        ),
        REC,
        ("2026-12-01", 7),
        "status[2].views",
        "a single view: views show where sources disagree, so give at least two",
    ),
    bad(
        "status without a note",
        replace(REC, "    note: Published in the report.\n", ""),
        REC,
        "  - date: '2017-09-01'",
        "status[0].note",
        "required field is missing",
    ),
    bad(
        "unknown theme",
        replace(REC, "  theme: attracting\n", "  theme: attraction\n"),
        REC,
        "theme: attraction",
        "theme",
        "unknown theme 'attraction'; did you mean 'attracting'",
    ),
    bad(
        "unknown addressee",
        replace(REC, "  - service_providers\n", "  - service_provider\n"),
        REC,
        "  - service_provider\n",
        "addressees[0]",
        "unknown organisation",
    ),
    bad(
        "unknown indicator in a recommendation",
        replace(REC, "  - clinical_psychology_training\n", "  - clinical_psychology\n"),
        REC,
        "  - clinical_psychology\n",
        "indicators[0]",
        "unknown indicator",
    ),
    bad(
        "evidence of an unknown kind",
        replace(
            REC,
            "  - kind: finding\n    id: entering_nursing",
            "  - kind: anecdote\n    id: entering_nursing",
        ),
        REC,
        "kind: anecdote",
        "evidence[0].kind",
        "not a kind of record a link can point to",
    ),
    bad(
        "evidence that does not exist",
        replace(REC, "    id: entering_nursing", "    id: entering_nurses"),
        REC,
        "entering_nurses",
        "evidence[0].id",
        "unknown finding 'entering_nurses'",
    ),
    bad(
        "evidence listed twice",
        replace(
            REC,
            "  - kind: finding\n    id: rising_demand\n",
            "  - kind: finding\n    id: entering_nursing\n",
        ),
        REC,
        "    id: entering_nursing\n  indicators:",
        "evidence[1].id",
        "listed twice",
    ),
    bad(
        "duplicate recommendation number",
        replace(REC, "- id: rec05\n  number: 5", "- id: rec05\n  number: 4"),
        REC,
        ("- id: rec05\n  number: 4", 1),
        "number",
        "number 4 is already used",
    ),
    bad(
        "recommendation number 23",
        replace(REC, "- id: rec05\n  number: 5", "- id: rec05\n  number: 23"),
        REC,
        "number: 23",
        "number",
        "less than or equal to 22",
    ),
    bad(
        "number written as text",
        replace(REC, "- id: rec05\n  number: 5", "- id: rec05\n  number: five"),
        REC,
        "number: five",
        "number",
        "valid integer",
    ),
    bad(
        "response outside the vocabulary",
        replace(REC, "    status: no_response_recorded\n", "    status: ignored\n"),
        REC,
        "status: ignored",
        "response.status",
        "Input should be",
    ),
    bad(
        "status without an assessor",
        replace(REC, "    assessed_by: Knowledge base editors\n", "    assessed_by:\n"),
        REC,
        "    assessed_by:\n",
        "status[0].assessed_by",
        "valid string",
    ),
    # status entries: sources, evidence links and views
    bad(
        "status entry with a single source key",
        replace(REC, "    sources: [cmh2017]\n", "    source: cmh2017\n"),
        REC,
        "    source: cmh2017",
        "status[0].source",
        "unknown field 'source'; did you mean 'sources'?",
    ),
    bad(
        "status entry citing no source",
        replace(REC, "    sources: [cmh2017]\n", "    sources: []\n"),
        REC,
        "    sources: []",
        "status[0].sources",
        "at least 1 item",
    ),
    bad(
        "status evidence that does not exist",
        replace(
            REC,
            "    - {kind: milestone, id: we_are_the_nhs_campaign}",
            "    - {kind: milestone, id: we_are_the_nhs}",
        ),
        REC,
        "we_are_the_nhs}",
        "status[1].evidence[0].id",
        "unknown milestone 'we_are_the_nhs'; did you mean 'we_are_the_nhs_campaign'",
    ),
    bad(
        "status evidence listed twice",
        replace(
            REC,
            "    - {kind: milestone, id: step_into_the_nhs_national}",
            "    - {kind: milestone, id: we_are_the_nhs_campaign}",
        ),
        REC,
        ("    - {kind: milestone, id: we_are_the_nhs_campaign}", 1),
        "status[1].evidence[1].id",
        "listed twice",
    ),
    bad(
        "status evidence pointing at a broken milestone",
        replace("milestones.yaml", "  kind: programme\n", "  kind: campaign\n"),
        "milestones.yaml",
        "kind: campaign",
        "kind",
        "Input should be",
    ),
    bad(
        "view with nothing said",
        replace(
            REC,
            "    - source: nursinginpractice2020\n      says: >-\n",
            "    - source: nursinginpractice2020\n      say: >-\n",
        ),
        REC,
        "      say: >-",
        "status[1].views[0].say",
        "unknown field 'say'; did you mean 'says'?",
    ),
    bad(
        "view that 'said' rather than 'says'",
        replace(
            REC,
            "    - source: nursinginpractice2020\n      says: >-\n",
            "    - source: nursinginpractice2020\n      said: >-\n",
        ),
        REC,
        "      said: >-",
        "status[1].views[0].said",
        "unknown field 'said'; did you mean 'says'? (the fields are listed in data/DICTIONARY.md)",
    ),
    bad(
        "view citing an unknown source",
        replace(
            REC,
            "    - source: nursinginpractice2020\n",
            "    - source: nursinginpractice2021\n",
        ),
        REC,
        "    - source: nursinginpractice2021",
        "status[1].views[0].source",
        "'nursinginpractice2021' is not a key",
    ),
    bad(
        "recommendation with no measure",
        replace(
            "milestones.yaml", "  recommendations: [13, 15, 21]\n", "  recommendations: [13, 21]\n"
        ),
        REC,
        ("- id: rec15\n", 13),
        "indicators",
        "recommendation 15 has no measure",
    ),
    # milestones.yaml
    bad(
        "milestone dated as a financial year",
        replace("milestones.yaml", '  date: "2019-01"\n', '  date: "2019/20"\n'),
        "milestones.yaml",
        "2019/20",
        "date",
        "write 2018, 2018-07 or 2018-07-05",
    ),
    bad(
        "milestone in the future",
        replace("milestones.yaml", '  date: "2019-01"\n', '  date: "2099-01"\n'),
        "milestones.yaml",
        "2099-01",
        "date",
        "is in the future",
    ),
    bad(
        "milestone naming no recommendation",
        replace("milestones.yaml", "  recommendations: [13, 15, 21]\n", "  recommendations: []\n"),
        "milestones.yaml",
        "  recommendations: []",
        "recommendations",
        "at least 1 item",
    ),
    bad(
        "milestone naming recommendation 23",
        replace(
            "milestones.yaml",
            "  recommendations: [13, 15, 21]\n",
            "  recommendations: [13, 15, 23]\n",
        ),
        "milestones.yaml",
        "  recommendations: [13, 15, 23]",
        "recommendations[2]",
        "no recommendation number 23",
    ),
    # policies.yaml and milestones.yaml: which policies the report discusses, and the order
    bad(
        "later policy marked as discussed in the report",
        replace(
            "policies.yaml",
            "  source: nhsengland2019a\n",
            "  source: nhsengland2019a\n  in_report: true\n",
        ),
        "policies.yaml",
        "  in_report: true\n  recommendations: [17, 20, 21]",
        "in_report",
        "dated 2019-01-07, after the report (September 2017): in_report is true only for the "
        "documents the 2017 report discusses",
    ),
    bad(
        "later policy among those the report discusses",
        moved_last("policies.yaml", "- id: mental_health_act_2025", "- id: future_in_mind"),
        "policies.yaml",
        ("- id: mental_health_act_2025", 2),
        "date",
        "dated 2025-12-18, out of order: the policies the report discusses (in_report) come "
        "first, then the later ones, each oldest first; it belongs after policy "
        "ten_year_health_plan_2025",
    ),
    bad(
        "milestones out of date order",
        moved_last(
            "milestones.yaml",
            "- id: recovery_college_coproduction_review",
            "- id: nhsi_national_retention_programme",
        ),
        "milestones.yaml",
        ("- id: recovery_college_coproduction_review", 1),
        "date",
        "dated 2025-08, out of order: milestones are oldest first; it belongs after milestone "
        "core24_survey_2025",
    ),
    # policies.yaml: what a later policy sets and bears on
    bad(
        "policy setting an unknown target",
        replace("policies.yaml", "  targets: [mhip_27000,", "  targets: [mhip_2700,"),
        "policies.yaml",
        "  targets: [mhip_2700,",
        "targets[0]",
        "unknown target 'mhip_2700'; did you mean 'mhip_27000'",
    ),
    bad(
        "target set by two policies",
        replace(
            "policies.yaml", "  targets: [mhip_27000,", "  targets: [fyfvmh_19000, mhip_27000,"
        ),
        "policies.yaml",
        "  targets: [fyfvmh_19000, mhip_27000,",
        "targets[0]",
        "already set by policy stepping_forward",
    ),
    bad(
        "policy of an unknown kind",
        replace("policies.yaml", "  kind: legislation\n", "  kind: act\n"),
        "policies.yaml",
        "  kind: act",
        "kind",
        "Input should be",
    ),
    bad(
        "target due before the policy that sets it was published",
        replace(
            IND,
            "      value: 11000\n      deadline: 2031/32\n",
            "      value: 11000\n      deadline: 2022/23\n",
        ),
        IND,
        "      deadline: 2022/23",
        "targets[1].deadline",
        "the deadline 2022/23 ends before policy ltwp_2023, which sets the target, was published "
        "(2023-06-30, data/policies.yaml line",
    ),
    bad(
        "target id used twice",
        replace(IND, "    - id: labour_8500\n", "    - id: fyfvmh_19000\n"),
        IND,
        "    - id: fyfvmh_19000\n      label: Extra mental health",
        "targets[3].id",
        "target id fyfvmh_19000 is already used",
    ),
    bad(
        "headline that is not a value of its breakdown",
        replace(IND, "      headline: in_post\n", "      headline: staff_in_post\n"),
        IND,
        "      label: Posts",
        "breakdowns.group",
        "headline 'staff_in_post' is not one of the values",
    ),
    # targets on their own baseline and definition (indicators.yaml)
    bad(
        "increase target without a baseline",
        replace(IND, '      value: 8100\n      baseline_period: "2016"\n', "      value: 8100\n"),
        IND,
        "    - id: sf_8100_nurses",
        "targets[0]",
        "an increase needs its baseline_period",
    ),
    bad(
        "percentage target counted in teams",
        replace(
            IND,
            "      unit: percent\n      series: pupil_coverage\n      baseline_period: 2019-01\n"
            "      baseline_value: 0\n      baseline_source: cypnow2019_mhst\n      value: 60\n",
            "      unit: percent\n      baseline_period: 2019-01\n"
            "      baseline_value: 0\n      baseline_source: cypnow2019_mhst\n      value: 60\n",
        ),
        IND,
        ("    - id: mhst_coverage_60", 3),
        "targets[2].unit",
        "the target counts percent but indicator mhst_teams counts count",
    ),
    bad(
        "target on an undeclared series",
        replace(IND, "      series: pupil_coverage\n", "      series: pupils_covered\n"),
        IND,
        "      series: pupils_covered",
        "targets[1].series",
        "indicator mhst_teams has no series 'pupils_covered'",
    ),
    bad(
        "target on top of an unknown target",
        replace(IND, "      cumulative_with: sf_8100_nurses\n", "      cumulative_with: sf_8100\n"),
        IND,
        "      cumulative_with: sf_8100\n",
        "targets[1].cumulative_with",
        "'sf_8100' is not another target of mh_nurses_fte",
    ),
    bad(
        "baseline from an unknown source",
        replace(
            IND, "      baseline_source: bmj_careers2017\n", "      baseline_source: bmj2017x\n"
        ),
        IND,
        "      baseline_source: bmj2017x",
        "targets[0].baseline_source",
        "bmj2017x",
    ),
    # trusts.yaml: which trusts make up the mental health trusts, then and now
    bad(
        "organisation classified twice",
        append(
            "trusts.yaml",
            "- id: RXT\n  name: Birmingham again\n  cluster: Mental Health\n"
            "  source: nhsengland_turnover2025\n",
        ),
        "trusts.yaml",
        ("- id: RXT\n  name: Birmingham again", 0),
        "id",
        "duplicate: RXT is already on line",
    ),
    bad(
        "trust that became an unlisted trust",
        replace("trusts.yaml", "      became: TAJ\n", "      became: TAK\n"),
        "trusts.yaml",
        "      became: TAK",
        "changes[0].became",
        "no trust TAK in data/trusts.yaml",
    ),
    bad(
        "trust with neither a cluster nor a successor",
        replace("trusts.yaml", "      became: TAJ\n", ""),
        "trusts.yaml",
        "- id: RYK",
        "(record)",
        "give its cluster today, or a change saying which trust it became",
    ),
    bad(
        "cluster that the release does not give",
        replace(
            "trusts.yaml",
            "- id: RXT\n  name: Birmingham and Solihull Mental Health NHS Foundation Trust\n"
            "  cluster: Mental Health\n",
            "- id: RXT\n  name: Birmingham and Solihull Mental Health NHS Foundation Trust\n"
            "  cluster: Acute\n",
        ),
        "trusts.yaml",
        "  cluster: Acute",
        "cluster",
        "puts RXT in the Mental Health cluster, not in Acute",
    ),
    bad(
        "a mental health trust of the release left out",
        replace(
            "trusts.yaml",
            "- id: RXT\n  name: Birmingham and Solihull Mental Health NHS Foundation Trust\n"
            "  cluster: Mental Health\n  source: nhsengland_turnover2025\n",
            "",
        ),
        "trusts.yaml",
        1,
        "(file)",
        "puts RXT in the Mental Health cluster, but data/trusts.yaml does not list it",
    ),
    # sources.yaml: a release read from a workbook, a derivation naming a cluster
    bad(
        "derivation naming an unknown cluster",
        replace(SRC, "          cluster: Mental Health\n", "          cluster: Mental health\n"),
        SRC,
        "          cluster: Mental health",
        "derive[0].groups[0].cluster",
        "no trust in data/trusts.yaml has the cluster 'Mental health'",
    ),
    bad(
        "derivation summing a column the release does not have",
        replace(SRC, "      numerator: [FTE_DAYS_LOST]\n", "      numerator: [FTE_DAYS_LOSS]\n"),
        SRC,
        "      numerator: [FTE_DAYS_LOSS]",
        "derive[0].numerator[0]",
        "column 'FTE_DAYS_LOSS' is not declared in release_format.table_schema; did you mean "
        "'FTE_DAYS_LOST'?",
    ),
    bad(
        "group selecting rows by a column the release does not have",
        replace(SRC, "          where: {ORG_TYPE: [Acute]}", "          where: {ORGTYPE: [Acute]}"),
        SRC,
        "{ORGTYPE: [Acute]}",
        "derive[0].groups[2].where.ORGTYPE.[key]",
        "column 'ORGTYPE' is not declared in release_format.table_schema; did you mean 'ORG_TYPE'?",
    ),
    bad(
        "column renamed in the table schema but not where it is used",
        replace(SRC, "        - name: FTE_DAYS_LOST\n", "        - name: FTE_DAYS_LOSS\n"),
        SRC,
        ("    - indicator: staff_sickness_absence\n      breakdown: group", 2),
        "derive[0].numerator[0]",
        "column 'FTE_DAYS_LOST' is not declared in release_format.table_schema; did you mean "
        "'FTE_DAYS_LOSS'? (also used at per_organisation.numerator[0])",
    ),
    bad(
        "copy of a release with no word on how it was checked",
        replace(
            SRC,
            "      assurance: consistency\n      checked: >-\n",
            "      assurance: consistency\n      copied: >-\n",
        ),
        SRC,
        "      copied: >-",
        "releases[0].copied",
        "unknown field",
    ),
    # organisations.yaml: bodies then and now
    bad(
        "change to an unknown body",
        replace("organisations.yaml", "    became: dhsc\n", "    became: dhcs\n"),
        "organisations.yaml",
        "    became: dhcs",
        "changes[0].became",
        "unknown organisation 'dhcs'; did you mean 'dhsc'",
    ),
    bad(
        "body that becomes itself",
        replace("organisations.yaml", "    became: dhsc\n", "    became: dh\n"),
        "organisations.yaml",
        "    became: dh\n",
        "changes[0].became",
        "a body cannot become itself",
    ),
    bad(
        "changes that lead round in a loop",
        replace(
            "organisations.yaml",
            "- {id: dhsc, name: Department of Health and Social Care, kind: national_body}",
            "- id: dhsc\n  name: Department of Health and Social Care\n  kind: national_body\n"
            "  changes:\n  - {date: '2019', what: Renamed back, became: dh, source: pj2018}",
        ),
        "organisations.yaml",
        "    became: dhsc",
        "changes[0].became",
        "the changes lead round in a loop (dh -> dhsc -> dh)",
    ),
    bad(
        "changes out of order",
        replace("organisations.yaml", '  - date: "2019"\n', '  - date: "2023"\n'),
        "organisations.yaml",
        '  - date: "2023"',
        "changes",
        "in date order",
    ),
    # observations.csv: the qualifier printed with a figure
    bad(
        "qualifier outside the vocabulary",
        replace(OBS, 'Centre for Mental Health",over', 'Centre for Mental Health",roughly'),
        OBS,
        "roughly",
        "qualifier",
        "Input should be",
    ),
    # the other record files
    bad(
        "a finding as its own evidence",
        replace(
            FIND,
            "  recommendations: [1, 11]\n",
            "  recommendations: [1, 11]\n  evidence: [{kind: finding, id: rising_demand}]\n",
        ),
        FIND,
        "{kind: finding, id: rising_demand}",
        "evidence[0].id",
        "its own evidence",
    ),
    bad(
        "finding supports no such recommendation",
        replace(FIND, "  recommendations: [1, 11]\n", "  recommendations: [1, 31]\n"),
        FIND,
        "[1, 31]",
        "recommendations[1]",
        "no recommendation number 31",
    ),
    bad(
        "finding in part 4",
        replace(FIND, "- id: rising_demand\n  part: 1", "- id: rising_demand\n  part: 4"),
        FIND,
        "part: 4",
        "part",
        "Input should be",
    ),
    bad(
        "finding with no sources",
        replace(
            FIND,
            "  recommendations: [1, 11]\n  sources: [cmh2017]",
            "  recommendations: [1, 11]\n  sources: []",
        ),
        FIND,
        "sources: []",
        "sources",
        "at least 1 item",
    ),
    bad(
        "case study number used twice",
        replace("case_studies.yaml", "- id: pause\n  number: 2", "- id: pause\n  number: 1"),
        "case_studies.yaml",
        ("- id: pause\n  number: 1", 1),
        "number",
        "already used",
    ),
    bad(
        "box on a chapter that does not exist",
        replace(
            "boxes.yaml",
            "  chapter: findings_structure\n  title: The Mental Health",
            "  chapter: findings_structures\n  title: The Mental Health",
        ),
        "boxes.yaml",
        "findings_structures",
        "chapter",
        "no chapter notebook",
    ),
    bad(
        "quality note of an unknown kind",
        replace("quality_notes.yaml", "  kind: typo\n", "  kind: blunder\n"),
        "quality_notes.yaml",
        "kind: blunder",
        "kind",
        "Input should be",
    ),
    bad(
        "quality note on a chapter that does not exist",
        replace(
            "quality_notes.yaml",
            "- id: nurses_2009_transposed\n  chapter: current_workforce",
            "- id: nurses_2009_transposed\n  chapter: current",
        ),
        "quality_notes.yaml",
        "chapter: current\n",
        "chapter",
        "no chapter notebook",
    ),
    bad(
        "organisation of an unknown kind",
        replace(
            "organisations.yaml",
            "{id: cqc, name: Care Quality Commission, kind: regulator}",
            "{id: cqc, name: Care Quality Commission, kind: quango}",
        ),
        "organisations.yaml",
        "quango",
        "kind",
        "Input should be",
    ),
    bad(
        "duplicate theme id",
        replace("themes.yaml", "- id: career_pathways\n", "- id: attracting\n"),
        "themes.yaml",
        "- id: attracting\n  title: Career",
        "id",
        "duplicate: attracting",
        (REC, "theme: career_pathways", "theme", "unknown theme 'career_pathways'"),
    ),
    bad(
        "impossible policy date",
        replace("policies.yaml", '  date: "2015"\n', '  date: "2015-02-29"\n'),
        "policies.yaml",
        "2015-02-29",
        "date",
        "not a date in the calendar",
    ),
    bad(
        "development numbered in words",
        replace(
            "developments.yaml",
            "- id: apprenticeships\n  number: 1",
            "- id: apprenticeships\n  number: one",
        ),
        "developments.yaml",
        "number: one",
        "number",
        "valid integer",
    ),
    bad(
        "consultation event of an unknown kind",
        replace(
            "consultation_events.yaml",
            "{id: bradford, place: Bradford, kind: local}",
            "{id: bradford, place: Bradford, kind: regional}",
        ),
        "consultation_events.yaml",
        "regional",
        "kind",
        "Input should be",
    ),
    bad(
        "participant group without a label",
        replace("participant_groups.yaml", "{id: carers, label: Carers}", "{id: carers}"),
        "participant_groups.yaml",
        "{id: carers}",
        "label",
        "required field is missing",
    ),
    bad(
        "related study supporting nothing",
        replace(
            "related_studies.yaml",
            "  recommendations: [11, 13, 14, 17]\n",
            "  recommendations: []\n",
        ),
        "related_studies.yaml",
        "recommendations: []",
        "recommendations",
        "at least 1 item",
    ),
    # references.bib
    bad(
        "duplicate citation key",
        replace(BIB, "@techreport{boorman2009,", "@techreport{addicott2015,"),
        BIB,
        "@techreport{addicott2015,\n  author = {Boorman",
        "addicott2015",
        "duplicate citation key",
    ),
    bad(
        "unclosed brace",
        replace(
            BIB,
            "  title = {Workforce planning in the {NHS}},",
            "  title = {Workforce planning in the {NHS},",
        ),
        BIB,
        "@techreport{addicott2015",
        "addicott2015",
        "a { in this entry is never closed",
    ),
    bad(
        "brace that closes nothing",
        replace(
            BIB,
            "  title = {Workforce planning in the {NHS}},",
            "  title = {Workforce planning in the {NHS}}},",
        ),
        BIB,
        "{NHS}}},",
        "addicott2015",
        "closes nothing",
    ),
    bad(
        "entry without a title",
        replace(BIB, "  title = {Workforce planning in the {NHS}},\n", ""),
        BIB,
        "@techreport{addicott2015",
        "addicott2015",
        "needs a title",
    ),
    bad(
        "key with a space",
        append(BIB, NEW_SOURCE.replace("nhsdigital2018", "nhs digital 2018")),
        BIB,
        "@misc{nhs digital",
        "nhs digital 2018",
        "citation key without spaces",
    ),
    bad(
        "web address that is not http",
        append(BIB, NEW_SOURCE.replace("  year", "  url = {javascript:alert(1)},\n  year")),
        BIB,
        "url = {javascript",
        "nhsdigital2018.url",
        "http:// or https://",
    ),
    bad(
        "template or comment syntax in a title",
        append(BIB, NEW_SOURCE.replace("  year", "  note = {{% raw %} and 12% of it},\n  year")),
        BIB,
        "  note = {{% raw %}",
        "nhsdigital2018.note",
        "the references page cannot print it (unbalanced braces)",
    ),
    bad(
        "a web address longer than any real one",
        append(
            BIB, NEW_SOURCE.replace("  year", "  url = {https://" + "." * 100_000 + " },\n  year")
        ),
        BIB,
        "  url = {https://...",
        "nhsdigital2018.url",
        "characters long; a url is at most 2,048",
    ),
    bad(
        "article without the journal the references page prints",
        append(BIB, NEW_SOURCE.replace("@misc{nhsdigital2018", "@article{nhsdigital2018")),
        BIB,
        "@article{nhsdigital2018",
        "nhsdigital2018",
        "give the fields an article entry needs, or make it a @misc",
    ),
    bad(
        "malformed DOI",
        append(BIB, NEW_SOURCE.replace("  year", "  doi = {https://doi.org/10.1/x},\n  year")),
        BIB,
        "doi = {https://doi.org/10.1/x}",
        "nhsdigital2018.doi",
        "10.1234/abcd",
    ),
    bad(
        "keys that link to the same place",
        append(BIB, NEW_SOURCE.replace("nhsdigital2018", "nhse-hee2016")),
        BIB,
        "@misc{nhse-hee2016",
        "nhse-hee2016",
        "too like the key 'nhse_hee2016'",
    ),
    # CHANGELOG.md
    bad(
        "change without a release",
        replace(LOG, RELEASE, "- Added the 2018 GP figures.\n\n" + RELEASE),
        LOG,
        "- Added",
        "(release)",
        "under a release heading",
    ),
    bad(
        "release without a date",
        replace(LOG, RELEASE, f"## {NEXT}\n\n- New figures.\n\n" + RELEASE),
        LOG,
        f"## {NEXT}",
        "(heading)",
        "'## X.Y.Z (YYYY-MM-DD)'",
    ),
    bad(
        "unreleased heading",
        replace(LOG, RELEASE, "## Unreleased\n\n- New figures.\n\n" + RELEASE),
        LOG,
        "## Unreleased",
        "(heading)",
        "got '## Unreleased'",
    ),
    bad(
        "release dated after today",
        replace(LOG, RELEASE, f"## {NEXT} (2099-01-01)\n\n- New figures.\n\n" + RELEASE),
        LOG,
        f"## {NEXT}",
        NEXT,
        "is in the future",
    ),
    bad(
        "release date not in the calendar",
        replace(LOG, RELEASE, f"## {NEXT} (2026-02-30)\n\n- New figures.\n\n" + RELEASE),
        LOG,
        f"## {NEXT}",
        NEXT,
        "not a date in the calendar",
    ),
    bad(
        "older version on top",
        replace(LOG, RELEASE, f"## 0.9.0 ({DAY})\n\n- New figures.\n\n" + RELEASE),
        LOG,
        RELEASE,
        VERSION,
        "newest first",
    ),
    bad(
        "version listed twice",
        replace(LOG, RELEASE, RELEASE + "\n\n- New figures.\n\n" + RELEASE),
        LOG,
        NEWEST.group(0),
        VERSION,
        "listed twice",
    ),
    bad(
        "release with no changes",
        replace(LOG, RELEASE, f"## {NEXT} ({DAY})\n\n" + RELEASE),
        LOG,
        f"## {NEXT}",
        NEXT,
        "lists no changes",
    ),
    bad(
        "release dated before the one below",
        replace(LOG, RELEASE, f"## {NEXT} (2000-01-01)\n\n- New figures.\n\n" + RELEASE),
        LOG,
        f"## {NEXT}",
        NEXT,
        "before the release below it",
    ),
    bad("changelog deleted", {LOG: None}, LOG, 1, "(file)", "the file is missing"),
    # sources.yaml and releases.csv: the official sources imported from their release files
    bad(
        "source deriving an unknown indicator",
        replace(SRC, "- indicator: staff_sickness_absence", "- indicator: staff_sick_absence"),
        SRC,
        "staff_sick_absence",
        "derive[0].indicator",
        "unknown indicator 'staff_sick_absence'",
    ),
    bad(
        "release provenance with a mistyped checksum",
        replace(REL, ",d08f3fc50e327c86", ",d08f3fc50e327c87"),
        REL,
        "d08f3fc50e327c87",
        "sha256",
        "not the recorded one",
    ),
    bad(
        "imported figure typed over by hand",
        replace(OBS, "2024-04,,mental_health,,5.20,", "2024-04,,mental_health,,5.02,"),
        OBS,
        "staff_sickness_absence,,2024-04,,mental_health,,5.02",
        "value",
        "'5.02' is not what the stored release data/releases/nhs_sickness_absence/2024-04.csv "
        "gives ('5.20')",
    ),
    bad(
        "imported figure deleted by hand",
        replace(OBS, IMPORTED_ROW, ""),
        REL,
        "nhs_sickness_absence,2024-04,",
        "file",
        "lacks 1 observation(s) that the stored releases give, the first staff_sickness_absence, "
        "2024-04, mental_health = 5.20 from data/releases/nhs_sickness_absence/2024-04.csv",
    ),
    bad(
        "release provenance of an unknown source",
        replace(REL, "nhs_sickness_absence,2024-04,", "nhs_sickness,2024-04,"),
        REL,
        "nhs_sickness,2024-04",
        "source_id",
        "unknown source 'nhs_sickness'",
    ),
    # more of the same kinds, in other files
    bad(
        "record that is not a mapping",
        append("themes.yaml", "\n- just text\n"),
        "themes.yaml",
        "- just text",
        "(record)",
        "valid dictionary",
    ),
    bad(
        "id that is a list",
        replace("themes.yaml", "- id: attracting", "- id: [a, b]"),
        "themes.yaml",
        "[a, b]",
        "id",
        "valid string",
    ),
    bad(
        "escaped control character in YAML",
        replace("themes.yaml", "title: Attracting the workforce", 'title: "a\\x00b"'),
        "themes.yaml",
        '"a\\x00b"',
        "(syntax)",
        "U+0000",
    ),
    bad("file far too large", {OBS: ORIGINAL[OBS] * 400}, OBS, 1, "(file)", "at most 2,000,000"),
    bad(
        "UTF-16 file",
        {FACTS: text(FACTS).encode("utf-16")},
        FACTS,
        1,
        "(encoding)",
        "not valid UTF-8",
    ),
    bad("bibliography emptied", {BIB: b""}, BIB, 1, "(file)", "no entries"),
    bad(
        "observations emptied",
        {OBS: text(OBS).splitlines(True)[0].encode()},
        TAB,
        "    - period: 2016-10\n      value: 8819",
        "printed",
        "no component rows in observations.csv for 2016-10 total",
        (
            TAB,
            "    - period: 2009-10\n      group: community_psychiatry",
            "printed",
            "no component rows",
        ),
        (TAB, '    - period: "2016"\n', "printed", "no component rows"),
        (REL, "nhs_hchs_staff_nationality,", "file", "import them again"),
    ),
    bad(
        "breakdown name misspelt",
        replace(IND, "    group:\n      label: Posts", "    groups:\n      label: Posts"),
        IND,
        "groups:",
        "breakdowns.groups.[key]",
        "'country', 'group' or 'subgroup'",
    ),
    bad(
        "YAML key that is a number",
        append("themes.yaml", "\n- id: x\n  1: y\n  title: t\n  summary: s\n"),
        "themes.yaml",
        "  1: y",
        "[1]",
        "Keys should be strings",
    ),
    bad(
        "entry without a comma after its key",
        append(BIB, "\n@misc{foo}\n"),
        BIB,
        "@misc{foo}",
        "foo}",
        "followed by a comma",
    ),
]


@pytest.mark.parametrize("case", BAD_EDITS, ids=[c.name for c in BAD_EDITS])
def test_bad_edit_gives_one_clear_message_per_mistake(case):
    problems = validate(edits=case.edits)
    shown = "\n".join(map(str, problems)) or "(no problems)"
    found = {(p.path, p.line, p.field): p.message for p in problems}
    for path, line, fld, words in case.lines():
        assert (path, line, fld) in found, f"no '{path}:{line}: {fld}: ...' in:\n{shown}"
        assert words in found[(path, line, fld)], f"'{words}' not in:\n{shown}"
    assert len(problems) == len(case.expect), f"expected {len(case.expect)} message(s):\n{shown}"


def test_the_table_covers_every_data_file():
    edited = {name for case in BAD_EDITS for name in case.edits}
    assert {p.name for p in DATA.iterdir() if p.is_file()} - {
        "README.md",
        "DICTIONARY.md",
        "datapackage.json",
    } <= edited


def test_renamed_citation_key_is_reported_once_per_file_that_uses_it():
    edits = replace(BIB, "@techreport{cmh2017,", "@techreport{cmh2017a,")
    problems = validate(edits=edits)
    users = {
        f"data/{name}"
        for name, raw in ORIGINAL.items()
        if re.search(rb"\bcmh2017\b", raw) and name not in {BIB, "datapackage.json"}
    }
    assert len(users) >= 5
    assert sorted(p.path for p in problems) == sorted(users), "\n".join(map(str, problems))
    for p in problems:
        assert "'cmh2017' is not a key" in p.message and "did you mean 'cmh2017a'" in p.message


def test_every_problem_is_reported_at_once():
    edits = replace(OBS, ROW, ROW.replace("5709", "x"))
    edits[OBS] = edits[OBS].replace(
        b"psychiatrists_fte,,2016-10,,,forensic", b"psychiatrists_fte,,2016-13,,,forensic"
    )
    edits.update(replace(FACTS, AGE, AGE.replace("53", "-40")))
    fields = {(p.path, p.field) for p in validate(edits=edits)}
    assert fields == {
        (f"data/{OBS}", "value"),
        (f"data/{OBS}", "period"),
        (f"data/{FACTS}", "value"),
    }


def crlf(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


LONG_NOTE = "A long note. " * 400
PSYCHIATRISTS_SERIES = "  series:\n    mh_doctors:\n"  # psychiatrists_fte's series
SERIES_UNIT = (
    "    headcount_2018:\n      label: Consultants counted as people\n"
    "      definition: Consultant psychiatrists counted by headcount.\n"
    "      comparability: A headcount, not full-time equivalents; not comparable with the main series.\n"
    "      unit: headcount\n"
)
VALID_EDITS = {
    "unchanged": {},
    "CRLF line endings everywhere": {n: crlf(raw) for n, raw in ORIGINAL.items()},
    "no newline at the end": {OBS: ORIGINAL[OBS].rstrip(b"\n"), IND: ORIGINAL[IND].rstrip(b"\n")},
    "a long note with a comma and quotes": replace(
        OBS, ROW, ROW + f'"{LONG_NOTE}, said ""someone"""'
    ),
    "accents and dashes in text": replace(OBS, ROW, ROW + "Café — naïve"),
    "a value in scientific notation": replace(OBS, ROW, ROW.replace("5709", "5.709e3")),
    "a new series with its own unit": {
        **replace(
            IND, PSYCHIATRISTS_SERIES, PSYCHIATRISTS_SERIES.replace("\n", "\n" + SERIES_UNIT, 1)
        ),
        **append(
            OBS,
            "psychiatrists_fte,headcount_2018,2018-03,,,,9500,provisional,nhsdigital2017b,Headcount,\n",
        ),
    },
    "a whole contribution": {
        **append(
            OBS, "leaver_rate,,2016/17,,mental_health_trusts,,14.2,provisional,nhsdigital2018,,\n"
        ),
        **append(BIB, NEW_SOURCE),
        **replace(LOG, RELEASE, f"## {NEXT} ({DAY})\n\n- The 2016/17 leaver rate.\n\n" + RELEASE),
    },
    "a new status entry with an unquoted date": replace(
        REC,
        NEWEST_ENTRY,
        "  - date: 2026-11-30\n    status: under_way\n"
        f"    criterion: >-\n      {UNDER_WAY}\n    confidence: press\n"
        "    note: Something happened.\n    sources: [cmh2017]\n    assessed_by: A volunteer\n"
        + NEWEST_ENTRY,
    ),
    "a total its parts add up to within rounding": append(OBS, PSYCHIATRISTS_TOTAL.format(8822)),
    "a title YAML 1.1 would read as a boolean": replace(
        "themes.yaml", "title: Attracting the workforce", "title: No"
    ),
    "a baseline year written as a number": replace(
        IND, 'baseline_period: "2017"', "baseline_period: 2017"
    ),
}


@pytest.mark.parametrize("edits", VALID_EDITS.values(), ids=list(VALID_EDITS))
def test_valid_edit_passes(edits):
    problems = validate(edits=edits)
    assert problems == [], "\n".join(map(str, problems))


def test_series_values_are_checked_against_the_series_unit():
    edits = replace(
        IND,
        PSYCHIATRISTS_SERIES,
        PSYCHIATRISTS_SERIES.replace(
            "\n", "\n" + SERIES_UNIT.replace("headcount\n", "percent\n"), 1
        ),
    )
    edits.update(
        append(
            OBS, "psychiatrists_fte,headcount_2018,2018-03,,,,9500,provisional,nhsdigital2017b,,\n"
        )
    )
    problems = validate(edits=edits)
    assert [(p.field, p.line) for p in problems] == [
        ("value", line_in(edits, OBS, "headcount_2018"))
    ]
    assert "plausible range for percent" in problems[0].message


def test_every_unit_has_a_range():
    assert scales.UNIT_RANGES.keys() == scales.UNITS.keys()


def run_validate(cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mhwkb", "validate"],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_command_line_reports_problems_and_writes_nothing(project):
    target = project / "data" / OBS
    target.write_bytes(replace(OBS, ROW, ROW.replace("5709", "57O9"))[OBS])
    before = {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()}
    result = run_validate(project)
    assert result.returncode == 1
    line = line_in({OBS: target.read_bytes()}, OBS, "57O9")
    assert result.stdout.startswith(f"data/{OBS}:{line}: value: not a plain number"), result.stdout
    assert result.stdout.endswith("1 problem(s) found\n")
    assert {p: p.read_bytes() for p in (project / "data").rglob("*") if p.is_file()} == before


def test_command_line_says_data_valid(capsys):
    from mhwkb.cli import main

    assert main(["validate"]) == 0
    assert capsys.readouterr().out == "data valid\n"
