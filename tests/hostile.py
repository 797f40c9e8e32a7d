"""Hostile strings, as a contributor could type them, and how to put them into the data.

Every string carries the marker ``kbxss``: on the site it may appear as text, never as
markup (an element, an attribute, a script). ``SECRET`` stands for the path of a file outside
the project whose content must never reach the site.
"""

import csv
import io
from pathlib import Path

import yaml

from mhwkb.fileio import CONTROL

MARK = "kbxss"
SECRET = "{secret}"

CORPUS = [
    "<script>alert('kbxss')</script>",
    '"><img src=x onerror="alert(\'kbxss\')">',
    "'><svg onload=alert('kbxss')>",
    "</script><script>alert('kbxss')</script><!--",
    "<style>body{display:none}</style>kbxss",
    "end\n```\n\n```{raw} html\n<script>alert('kbxss')</script>\n```\n",
    "end\n````\n```{include} {secret}\n```\n",
    "end\n```\n{download}`kbxss <{secret}>`\n",
    "{raw}`<b data-kbxss=1>kbxss</b>`",
    "{download}`{secret}` and {include}",
    "{ref}`kbxss-missing` {cite}`kbxss-missing`",
    "{{ kbxss }} {% raw %}",
    "# kbxss heading",
    "kbxss\n# kbxss heading\n\n## another",
    "[kbxss](javascript:alert('kbxss')) <javascript:alert('kbxss')> <https://example.org/kbxss>",
    "![kbxss](x.png) [^kbxss]",
    "*kbxss* _kbxss_ `kbxss` **kbxss** ~~kbxss~~",
    ":::{danger}\nkbxss\n:::",
    "(kbxss-label)=\n# kbxss",
    "kbxss\n---\ntitle: kbxss\n---",
    "kbxss heading\n===",
    "| kbxss | table |\n| --- | --- |",
    "$kbxss$ $$x$$ \\(x\\)",
    "&lt;script&gt;alert('kbxss')&lt;/script&gt; &#60;b&#62;kbxss",
    "\\`\\{kbxss\\} \\\\ \\",
    "kbxss\u2028```{raw} html\u2029<script>alert('kbxss')</script>",
    "kbxss\u202e\u200b\u0007 bidi",
    "`{raw} html` ``` ` `` kbxss",
    "kbxss %}{{ 7*7 }}{% endfor %}",
    "    indented kbxss code",
    "1. kbxss\n- kbxss\n> kbxss",
    "<!-- kbxss -->",
    "javascript:alert('kbxss')",
]

# Strings the validator refuses (invisible control characters): they never reach a page; the
# others are accepted and must be shown as text.
REFUSED = [s for s in CORPUS if CONTROL.search(s)]
ACCEPTED = [s for s in CORPUS if s not in REFUSED]

# Fields a contributor types as free text in the YAML records (by key, and by file where a key
# is free text in one file only), and in the CSV files. A status entry's `note` and each view's
# `says`, a milestone's or a later policy's `title`, `body` and `summary`, and an organisation
# change's `what` are among them. Citation keys (`source`, `sources`), ids, dates, periods and
# closed vocabularies (`kind`, `status`, `qualifier`) are not free text: the validator refuses
# anything else there. test_hostile checks that every free-text field of the schemas is listed.
YAML_TEXT = {
    "title", "label", "paraphrase", "note", "notes", "definition", "policy", "comparability",
    "summary", "shows", "organisation", "place", "partners", "items", "name",
    "body", "detail", "assessed_by", "geography", "findings", "says", "what", "publisher",
    "status_note", "main_label",
}  # fmt: skip
FILE_TEXT = {"related_studies": {"kind"}}
STRUCTURE = {"values", "release_format", "derive", "releases", "classifies", "per_organisation"}
CSV_TEXT = {"observations.csv": ["note"], "facts.csv": ["label", "note", "geography"]}


# Two bibliography entries whose every printed field holds a MyST role, a substitution, a
# Markdown link to a script or markup: the references page must print them as text. (A LaTeX
# \url or \href in the text of an entry is refused by the validator: test_hostile.)
HOSTILE_BIB = r"""
@misc{hostile2026,
  author = {{<b>kbxss</b> Body}},
  title = {<script>alert('kbxss')</script> {raw}`<i>kbxss</i>` A Title With Capitals},
  url = {https://localhost/kbxss},
  year = {2026}
}

@misc{hostile2026b,
  author = {{{{ kbxss }} Body} and {{raw}`<b>kbxss</b>` Other}},
  title = {{sub}`kbxss` |kbxss| {{ kbxss }} [kbxss](javascript:alert('kbxss'))},
  howpublished = {{download}`kbxss <../../conf.py>` <javascript:alert('kbxss')>},
  institution = {{ref}`kbxss` <img src=x onerror=alert('kbxss')>},
  note = {{{ kbxss }} {cite}`kbxss` {eval-rst}`kbxss`},
  urldate = {{raw}`<b>kbxss</b>`},
  doi = {10.1234/kbxss"><script>alert('kbxss')</script>(x)},
  year = {2026}
}
"""


def corpus(secret: Path, strings: list[str] = ACCEPTED) -> list[str]:
    return [s.replace(SECRET, str(secret)) for s in strings]


def _mutate(value, strings: list[str], counter: list[int], keys: set[str], key=None):
    """Replace every free-text string under one of ``keys``. Breakdown value labels are left
    alone (chapters look rows up by them), and so is how a source's release files are read
    (column names and the mapping to observations are identifiers, not text)."""
    if isinstance(value, dict):
        return {
            k: v if k in STRUCTURE else _mutate(v, strings, counter, keys, k)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_mutate(v, strings, counter, keys, key) for v in value]
    if isinstance(value, str) and key in keys:
        return _next(strings, counter)
    return value


def _next(strings: list[str], counter: list[int]) -> str:
    counter[0] += 1
    return strings[counter[0] % len(strings)]


def poison(project: Path, secret: Path) -> None:
    """Put the hostile strings into every contributor-editable text field of ``project``."""
    strings = corpus(secret)
    data = project / "data"
    imported = {  # rows the importer writes from a stored release: not typed, so not text
        (d["indicator"], src["source"])
        for src in yaml.safe_load((data / "sources.yaml").read_text(encoding="utf-8"))
        for d in src["derive"]
    }
    counter = [0]
    for path in sorted(data.glob("*.yaml")):
        records = yaml.safe_load(path.read_text(encoding="utf-8"))
        keys = YAML_TEXT | FILE_TEXT.get(path.stem, set())
        records = _mutate(records, strings, counter, keys)
        path.write_text(yaml.safe_dump(records, allow_unicode=False, sort_keys=False), "utf-8")
    # A CSV cell and a changelog entry hold one line: a line break in them is refused (tested
    # in test_hostile), so they get the one-line strings.
    lines = [s for s in strings if "\n" not in s]
    counter = [0]
    for name, columns in CSV_TEXT.items():
        path = data / name
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        for row in rows:
            for c in columns:
                if name == "observations.csv" and (row["indicator"], row["source"]) in imported:
                    continue
                if name == "observations.csv" or row[c]:
                    row[c] = _next(lines, counter)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    bib = data / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + HOSTILE_BIB, encoding="utf-8")
    changelog = data / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    head, _, rest = text.partition("\n## ")
    newest, _, older = rest.partition("\n\n")
    entries = "\n".join(f"- {s}" for s in lines)
    changelog.write_text(f"{head}\n## {newest}\n\n{entries}\n{older}", encoding="utf-8")
