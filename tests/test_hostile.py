"""Hostile strings in every contributor-editable text field, in one build: records, series,
breakdown and target labels, notes, facts, BibTeX title, author and URL, and the changelog.

The data still validate and the strict build still passes; on the site every string is text:
no element, attribute or script comes from data, no file from outside the project is
copied in, and Chromium opens every page showing one of them without a dialog or an
injected element.
"""

import json
import types
import typing

import pytest
from conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    build_book,
    copy_project,
    mhwkb,
    needs_chromium,
    site_pages,
)
from hostile import CSV_TEXT, FILE_TEXT, MARK, STRUCTURE, YAML_TEXT, poison
from injection import injected, leaked
from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from mhwkb import kinds, recommendation_schema
from mhwkb import schemas as s
from mhwkb.localserver import serve

SECRET = "kbsecret-5d41402abc4b2a76"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """One strict build of a copy whose every free-text field holds a hostile string."""
    folder = tmp_path_factory.mktemp("hostile")
    secret = folder / "secret.txt"  # outside the project: nothing may copy it in
    secret.write_text(SECRET, encoding="utf-8")
    project = copy_project(folder / "project")
    poison(project, secret)
    validation = mhwkb(project, "validate")
    build = build_book(project, check=False)
    return project, validation, build


def test_hostile_data_validate_and_build(hostile_site):
    _, validation, build = hostile_site
    assert validation.returncode == 0, validation.stdout
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert "warning" not in build.stderr.lower(), build.stderr[-3000:]


def test_refused_strings_are_refused_with_path_line_and_field(tmp_path):
    """What the validator refuses (control characters, here in a recommendation's title and an
    organisation change, a web address that is not http or https) is named, with its file, line
    and field, once per place."""
    from hostile import REFUSED

    from mhwkb.validate import validate

    assert REFUSED
    data = copy_project(tmp_path / "project") / "data"
    recs = (data / "recommendations.yaml").read_text(encoding="utf-8")
    title = "  title: Promote mental health careers in schools\n"
    orgs = (data / "organisations.yaml").read_text(encoding="utf-8")
    what = "    what: >-\n      Merged into NHS England and abolished\n"
    bib = (data / "references.bib").read_text(encoding="utf-8")
    edits = {
        "recommendations.yaml": recs.replace(
            title, f"  title: {json.dumps(REFUSED[0])}\n", 1
        ).encode(),
        "organisations.yaml": orgs.replace(
            what, f"    what: {json.dumps(REFUSED[0])}\n", 1
        ).encode(),
        "references.bib": (
            bib + "\n@misc{hostile2026,\n  title = {T},\n  url = {javascript:alert(1)},\n"
            "  year = {2026}\n}\n"
        ).encode(),
    }
    problems = [str(p) for p in validate(data, edits=edits)]
    line = recs[: recs.index(title)].count("\n") + 1
    change = orgs[: orgs.index(what)].count("\n") + 1
    edited = edits["references.bib"].decode()
    url = edited[: edited.index("url = {javascript")].count("\n") + 1
    assert problems == [
        f"data/organisations.yaml:{change}: (syntax): invisible control character U+202E in "
        "this value; delete it",
        f"data/recommendations.yaml:{line}: (syntax): invisible control character U+202E in "
        "this value; delete it",
        f"data/references.bib:{url}: hostile2026.url: a web address must start "
        "with http:// or https://",
    ], problems


def test_every_hostile_string_is_shown_as_text(hostile_site):
    project, _, _ = hostile_site
    site = project / "_build/html"
    assert injected(site) == {}
    shown = [p for p in site_pages(site) if MARK in (site / p).read_text(encoding="utf-8")]
    assert len(shown) >= 40  # the strings are on the pages, as text
    for page in ("chapters/about_data.html", "chapters/references.html"):
        assert MARK in (site / page).read_text(encoding="utf-8"), page  # changelog, BibTeX


def test_no_file_from_outside_the_project_reaches_the_site(hostile_site):
    project, _, _ = hostile_site
    assert leaked(project / "_build/html", SECRET) == []


def test_bibtex_urls_are_links_only_when_safe(hostile_site):
    project, _, _ = hostile_site
    page = (project / "_build/html/chapters/references.html").read_text(encoding="utf-8")
    assert "A Title With Capitals" in page  # the style keeps the title's case
    assert 'href="javascript' not in page.lower()
    assert "https://localhost/kbxss" in page and 'href="https://localhost' not in page


# The first visible chart whose labels hold the hostile mark and whose kind (the marks it
# draws and how it is composed) is not among those already drawn live: [index, kind], or
# [-1, ""]. Charts of one kind go through the same drawing code, so one of each is drawn.
HOSTILE_CHART = """([mark, drawn]) => {
  const kind = spec => {
    const found = new Set();
    const walk = o => {
      if (!o || typeof o !== 'object') return;
      if (o.mark) found.add(typeof o.mark === 'string' ? o.mark : o.mark.type);
      for (const k of ['layer', 'hconcat', 'vconcat', 'concat', 'facet', 'repeat'])
        if (k in o) found.add(k);
      Object.values(o).forEach(walk);
    };
    walk(spec);
    return [...found].sort().join('+');
  };
  const charts = [...document.querySelectorAll('.kb-chart')];
  for (let i = 0; i < charts.length; i++) {
    const text = charts[i].querySelector('script.kb-spec').textContent;
    if (charts[i].closest('details:not([open])') || !text.includes(mark)) continue;
    const k = kind(JSON.parse(text));
    if (!drawn.includes(k)) return [i, k];
  }
  return [-1, ''];
}"""


def test_nothing_runs_in_the_browser(hostile_site):
    needs_chromium()
    from playwright.sync_api import sync_playwright

    project, _, _ = hostile_site
    root = project / "_build/html"
    pages = [p for p in site_pages(root) if MARK in (root / p).read_text(encoding="utf-8")]
    dialogs, found, drawn = [], {}, set()
    with serve(root) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for rel in pages:
            page.goto(f"{base}/{rel}", wait_until="load")
            index, kind = page.evaluate(HOSTILE_CHART, [MARK, sorted(drawn)])
            if index >= 0:  # a chart of a kind not yet drawn, with hostile labels: draw it live
                drawn.add(kind)
                chart = page.locator(".kb-chart").nth(index)
                chart.scroll_into_view_if_needed()
                chart.hover()
                page.wait_for_selector(".kb-chart[data-live='yes']", timeout=15000)
            bad = page.evaluate(
                f"""() => [...document.querySelectorAll('*')].filter(e =>
                  [...e.attributes].some(a => a.name.includes('{MARK}')
                    || (a.name.startsWith('on') && a.value.includes('{MARK}')))
                  || (e.tagName === 'SCRIPT' && !e.type && e.textContent.includes('{MARK}'))
                  || (e.tagName === 'STYLE' && e.textContent.includes('{MARK}'))
                ).map(e => e.outerHTML.slice(0, 120))"""
            )
            if bad:
                found[rel] = bad
        browser.close()
    assert len(drawn) >= 3, drawn  # bars, lines, and lines with labelled points
    assert dialogs == [] and found == {}


# Fields typed as strings that name something rather than say something: citation keys,
# series and breakdown ids (each checked against its list) and the kind a link points at.
# A trust's cluster is checked against the release that classifies organisations, and a
# status entry's criterion must be its status's own, word for word.
NOT_TEXT = {
    "source",
    "sources",
    "baseline_source",
    "series",
    "country",
    "group",
    "subgroup",
    "Link.kind",
    "Trust.cluster",
    "StatusEntry.criterion",
}


def _leaves(annotation, metadata=()):
    """The plain types inside a field's type (through lists, dicts, optionals and Annotated),
    each with the constraints attached to it."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        yield from _leaves(base, (*metadata, *extra))
    elif origin in (list, dict, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _leaves(arg, metadata if origin is not dict else ())
    else:
        yield annotation, metadata


def _checked(metadata) -> bool:
    """Whether a string is constrained to a form (an id or address pattern, a date, a period)."""
    return any(
        isinstance(m, BeforeValidator | AfterValidator)
        or getattr(m, "pattern", None)
        or (isinstance(m, FieldInfo) and _checked(m.metadata))
        for m in metadata
    )


def _text_fields(model: type[BaseModel]) -> set[str]:
    """``Model.field`` for each free-text field of ``model`` and of the records inside it."""
    out = set()
    for name, info in model.model_fields.items():
        if name in STRUCTURE:
            continue
        for leaf, metadata in _leaves(info.annotation, tuple(info.metadata)):
            if isinstance(leaf, type) and issubclass(leaf, BaseModel):
                out |= _text_fields(leaf)
            elif leaf is str and not _checked(metadata):
                out.add(f"{model.__name__}.{name}")
    return out


def _unlisted(model: type[BaseModel], listed: set[str]) -> list[str]:
    return sorted(
        f
        for f in _text_fields(model)
        if f not in NOT_TEXT and f.split(".")[1] not in listed | NOT_TEXT
    )


def test_every_free_text_field_gets_hostile_strings():
    """A free-text field added to a schema (a status entry's views, an organisation change) is
    put through the hostile build, or listed here as naming something rather than text."""
    unlisted = {
        f"{k.file}.yaml": _unlisted(k.schema, YAML_TEXT | FILE_TEXT.get(k.file, set()))
        for k in kinds.KINDS.values()
    }
    unlisted |= {
        name: _unlisted(model, set(CSV_TEXT[name]))
        for name, model in {"observations.csv": s.Observation, "facts.csv": s.Fact}.items()
    }
    assert _text_fields(recommendation_schema.Recommendation) >= {"StatusEntry.note", "View.says"}
    assert "Change.what" in _text_fields(s.Organisation)
    assert {k: v for k, v in unlisted.items() if v} == {}


FORMULAS = [
    '=HYPERLINK("https://example.org","kbxss")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd",
    "@SUM(1,1)",
]


@pytest.mark.parametrize("formula", FORMULAS)
def test_text_a_spreadsheet_would_run_is_refused_in_the_data(formula):
    from conftest import ROOT

    from mhwkb.validate import validate

    obs = (ROOT / "data/observations.csv").read_text(encoding="utf-8")
    row = "mh_nurses_fte,,2023-04,,,,39929,final,ukparliament2023a,"
    line = next(x for x in obs.splitlines() if x.startswith(row))
    edited = obs.replace(line, row + '"' + formula.replace('"', '""') + '",', 1)
    problems = [str(p) for p in validate(edits={"observations.csv": edited.encode()})]
    assert len(problems) == 1 and ": note: begins with" in problems[0], problems
    assert "run as a formula" in problems[0]


def test_a_negative_number_is_a_number_not_a_formula():
    from mhwkb.fields import formula_like

    assert not formula_like("-8") and not formula_like("-10,000") and formula_like("-x")


def test_every_download_is_safe_to_open_in_a_spreadsheet(built_site):
    """Every CSV the site offers: no text cell begins with a formula character."""
    import csv
    import io

    from conftest import offered_csvs

    from mhwkb.fields import formula_like

    offered = offered_csvs(built_site / "_build/html")
    unsafe = [
        (where, c)
        for where, text in offered.items()
        for row in csv.reader(io.StringIO(text))
        for c in row
        if formula_like(c)
    ]
    assert len(offered) > 50 and unsafe == []
    assert ("chapters/indicators/mh_nurses_fte.html", "mh_nurses_fte_all.csv") in offered  # a file


def test_a_formula_in_a_download_is_neutralised():
    import pandas as pd

    from mhwkb.html import spreadsheet_safe

    frame = pd.DataFrame({"Note": [*FORMULAS, "-8", "plain"], "Value": range(6)})
    safe = spreadsheet_safe(frame)
    assert list(safe["Note"][:4]) == ["'" + f for f in FORMULAS]
    assert list(safe["Note"][4:]) == ["-8", "plain"] and list(safe["Value"]) == list(range(6))


@pytest.mark.parametrize(
    "field", ["author", "title", "howpublished", "institution", "note", "urldate"]
)
@pytest.mark.parametrize(
    "command", ["\\url{javascript:alert(1)}", "\\href{javascript:alert(1)}{x}"]
)
def test_a_latex_link_in_the_text_of_an_entry_is_refused(field, command):
    from conftest import ROOT

    from mhwkb.validate import validate

    entry = "\n@misc{hostile2026c,\n"
    entry += (
        f"  {field} = {{{{{command}}}}},\n"
        if field == "author"
        else f"  {field} = {{{command}}},\n"
    )
    entry += "  title = {A title},\n" if field != "title" else ""
    entry += "  year = {2026}\n}\n"
    bib = (ROOT / "data/references.bib").read_text(encoding="utf-8") + entry
    problems = [str(p) for p in validate(edits={"references.bib": bib.encode()})]
    line = bib[: bib.rindex(f"  {field} = ")].count("\n") + 1
    assert problems == [
        f"data/references.bib:{line}: hostile2026c.{field}: a web address goes in the url field "
        "(or a DOI in doi), where it is checked; \\url and \\href are not allowed in the text of "
        "an entry"
    ]
