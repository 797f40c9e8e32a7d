"""Rules every chapter follows: numbers from data, no file paths, fresh outputs, own words."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, SHARED, needs_shared

CHAPTERS = sorted((ROOT / "chapters").glob("*.ipynb"))

ROLE = re.compile(r"\{(glue:text|glue:md|glue|cite|cite:p|cite:t|ref|doc|numref|download)\}`[^`]*`")
ALLOWED = [
    re.compile(r"\b(19|20)\d{2}/\d{2}\b"),  # financial years
    re.compile(r"\b(19|20)\d{2}s?\b"),  # years and decades
    re.compile(r"\b[Rr]ecommendations? \d+(?:(?:,| and| to|-) ?\d+)*\b"),  # recommendation numbers
    re.compile(r"\b(?:[Pp]art|[Ss]ection|[Cc]hapter|[Cc]ase study) \d+\b"),
]


def prose_without_glue(text: str) -> str:
    text = ROLE.sub(" ", text)
    text = re.sub(r"`[^`]*`", " ", text)  # inline code
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"\(#[^)]*\)|<[^>]+>", " ", text)
    for pattern in ALLOWED:
        text = pattern.sub(" ", text)
    return text


def markdown(nb_path: Path) -> list[str]:
    nb = nbformat.read(nb_path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_there_are_chapters():
    assert len(CHAPTERS) >= 2


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_no_hand_typed_figures_in_prose(nb_path):
    typed = []
    for source in markdown(nb_path):
        for line in prose_without_glue(source).splitlines():
            if re.search(r"\d", line):
                typed.append(line.strip())
    assert not typed, "figures typed by hand (glue them from data):\n" + "\n".join(typed)


def test_hand_typed_figure_detector_catches_numbers():
    assert re.search(r"\d", prose_without_glue("There were 8,819 psychiatrists in 2016."))
    assert not re.search(
        r"\d", prose_without_glue("There were {glue:md}`psy_total` in 2016/17 (recommendation 12).")
    )


@pytest.mark.parametrize("nb_path", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_chapters_read_data_only_through_the_package(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for forbidden in ("read_csv(", "open(", "data/", "http", "yaml."):
        assert forbidden not in code, (
            f"{nb_path.name} uses {forbidden!r}; load data by id through mhwkb"
        )


def test_stored_outputs_are_current():
    """Every committed chapter was executed against the committed data (make refresh)."""
    from mhwkb import refresh

    stale = {p.name: why for p in refresh.chapters() if (why := refresh.stale_reason(p))}
    assert not stale, f"run `make refresh` and commit the notebooks: {stale}"


def test_datapackage_is_current():
    from mhwkb.datapackage import DESCRIPTOR, render

    assert DESCRIPTOR.read_text(encoding="utf-8") == render(), "run `python -m mhwkb datapackage`"


def test_data_dictionary_is_current():
    from mhwkb.dictionary import DICTIONARY, render

    assert DICTIONARY.read_text(encoding="utf-8") == render(), "run `python -m mhwkb datapackage`"


def test_data_dictionary_describes_every_file_and_field():
    from mhwkb import catalog
    from mhwkb.dictionary import render

    text = render()
    for name in [*catalog.CSV_FILES, catalog.INDICATORS, *(f"{k}.yaml" for k in catalog.RECORDS)]:
        assert f"## {name}" in text
    for model in [*catalog.RECORDS.values(), *(m for m, *_ in catalog.CSV_FILES.values())]:
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"


def test_datapackage_passes_the_frictionless_validator():
    from frictionless import validate

    report = validate(ROOT / "data" / "datapackage.json")
    assert report.valid, report.flatten(["type", "message"])


def test_no_passage_repeats_a_source_document():
    seed_overlap = needs_shared(SHARED / "tools" / "seed-overlap")
    result = subprocess.run(
        [sys.executable, str(seed_overlap), str(ROOT)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_a_check_needing_the_shared_documents_skips_without_them_and_fails_under_ci(
    tmp_path, monkeypatch
):
    absent = tmp_path / "shared" / "tools" / "seed-overlap"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="is absent"):
        needs_shared(absent)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required when CI=true"):
        needs_shared(absent)
    assert needs_shared(tmp_path) == tmp_path


def test_every_finding_has_its_section_in_its_chapter():
    """Each finding record heads one section of its part's chapter (anchored as other pages link
    to it, titled as the record) and is rendered there once, right after that section's prose."""
    from mhwkb import kinds
    from mhwkb.data import records

    cells = {
        part: nbformat.read(ROOT / "chapters" / f"{name}.ipynb", as_version=4).cells
        for part, name in kinds.FINDING_CHAPTERS.items()
    }
    for f in records("findings"):
        chapter = cells[f.part]
        heading = re.compile(rf"^\({kinds.anchor('finding', f.id)}\)=\n#+ {re.escape(f.title)}\n")
        at = [i for i, c in enumerate(chapter) if heading.match(c.source)]
        assert len(at) == 1, f"{f.id}: no single section headed '{f.title}'"
        rendered = [i for i, c in enumerate(chapter) if c.source == f'render.finding("{f.id}")']
        assert rendered and rendered[0] > at[0], f"{f.id}: record not rendered after its section"
        between = chapter[at[0] + 1 : rendered[0]]
        assert all(c.cell_type == "code" for c in between), f"{f.id}: record is not under its prose"
