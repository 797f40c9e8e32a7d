"""Read ``data/references.bib``: its citation keys, each entry's line, and every problem.

Each entry is checked on its own first (braces that balance, a usable key, a title, a web
address that is http or https, no field longer than a real one could be), so a slip is
reported at the entry that has it rather than wherever a BibTeX parser notices it; pybtex then
reads the whole file, and every entry is formatted exactly as the references page will format
it, so what would stop the build is reported at its entry and field. Every pattern here reads
the text once: a very long value is decided as fast as a short one.
"""

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from urllib.parse import urlsplit

import pybtex.plugin
from pybtex.database import parse_string
from pybtex.exceptions import PybtexError

from mhwkb import kept
from mhwkb.fileio import DataFile, read_text
from mhwkb.problems import DataError, Problem

ENTRY = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(]([^,\n]*)", re.MULTILINE)
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$")
SPECIAL = {"comment", "string", "preamble"}
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
MAX_FIELD = 4000  # characters: longer than any real title, note or name
LATEX_LINK = re.compile(r"\\(?:url|href)\b", re.IGNORECASE)  # \url{...}, \href{...}{...}
LINKS = {"url", "doi"}  # at most markup.MAX_URL characters
# Sites that republish what others published (written answers, press notices, reports): a
# reference read on one of them is said to be a copy, since the publisher's own page was not
# found (CONTRIBUTING asks for the publisher's page first).
COPY_HOSTS = frozenset({
    "parallelparliament.co.uk", "theyworkforyou.com", "search-prototype.herokuapp.com",
    "eldaddp.azurewebsites.net", "wired-gov.net", "parliamenttoday.com", "policythreads.co.uk",
    "readkong.com", "documents.pub", "pdf4pro.com", "scribd.com", "nursingleadershiptoday.com",
    "gl-cqc.axis12.com", "yhtraininghubs.co.uk.temp.link",
})  # fmt: skip
# Fields the references page prints, as the bibliography style reads them (LaTeX text).
PRINTED = ("title", "note", "howpublished", "institution", "organization", "publisher",
           "journal", "booktitle", "address", "urldate", "school", "edition", "series")  # fmt: skip


def entry_key(m: re.Match) -> str:
    """The citation key an ``ENTRY`` match holds, without the spaces around it."""
    return m.group(2).strip()


def chunks(text: str) -> list[tuple[re.Match, str, str, str]]:
    """Each entry of a BibTeX text as (its match, its kind, its key, its text up to the next)."""
    starts = list(ENTRY.finditer(text))
    ends = [m.start() for m in starts[1:]] + [len(text)] * bool(starts)
    return [
        (m, m.group(1).lower(), entry_key(m), text[m.start() : end])
        for m, end in zip(starts, ends, strict=True)
    ]


def without_trailing_comments(chunk: str) -> str:
    """An entry's text without the blank and comment lines that follow it."""
    lines = chunk.rstrip().split("\n")
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("%")):
        lines.pop()
    return "\n".join(lines).rstrip()


@cache
def _entry_points(**selection) -> metadata.EntryPoints:
    return metadata.entry_points(**selection)


def look_up_plugins_once() -> None:
    """Make pybtex find its plugins once per process.

    pybtex looks a plugin up in every installed package's metadata each time it is asked for
    one, and sphinxcontrib-bibtex asks once per citation it resolves: a scan of every
    distribution per citation (about 20 ms each, seconds per build). The installed packages do
    not change while a build runs, so the answer is kept.
    """
    pybtex.plugin.entry_points = _entry_points


@dataclass
class Bibliography:
    """Citation keys with the line of their entry; ``readable`` is false when the keys are unknown."""

    keys: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    readable: bool = True


def anchor(key: str) -> str:
    """The part of a key that survives in its link anchor (see ``mhwkb.html.cite_anchor``)."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def _braces(chunk: str) -> tuple[int, int]:
    """Check an entry's braces: (problem, offset) with problem 0 when they balance, 1 when a
    { is never closed, -1 when a } closes the entry early or closes nothing."""
    depth = 0
    for i, char in enumerate(chunk):
        if char in "{}" and i and chunk[i - 1] == "\\":
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return -1, i
            if depth == 0:  # the entry ends here: only comments and blank lines may follow
                rest = chunk[i + 1 :].split("\n")
                stray = any(r.strip() and not r.lstrip().startswith("%") for r in rest)
                return (-1, i) if stray else (0, -1)
    return (1, 0) if depth > 0 else (0, -1)


def _field_line(chunk: str, start_line: int, name: str) -> int:
    m = re.search(rf"^[ \t]*{re.escape(name)}[ \t]*=", chunk, re.MULTILINE | re.IGNORECASE)
    return start_line + chunk.count("\n", 0, m.start()) if m else start_line


def read(source: DataFile | Path) -> Bibliography:
    """The bibliography's keys and problems, read once per content (validation and the
    loaders both ask)."""
    return _read(source if isinstance(source, DataFile) else DataFile.read(source))


@lru_cache(maxsize=8)
def _read(file: DataFile) -> Bibliography:
    look_up_plugins_once()
    try:
        text, notes = read_text(file)
    except DataError as err:
        return Bibliography(problems=err.problems, readable=False)
    bib = Bibliography(problems=list(notes))
    starts = chunks(text)
    anchors: dict[str, str] = {}
    texts: dict[str, str] = {}  # each entry's text by key
    macros = ""  # the @string definitions an entry may use
    for n, (m, kind, key, chunk) in enumerate(starts):
        line = text.count("\n", 0, m.start()) + 1
        unbalanced, at = _braces(chunk)
        label = key or "(entry)"
        if unbalanced > 0:
            following = f" (the next entry starts on line {line + chunk.count(chr(10))})"
            bib.problems.append(
                file.problem(
                    line,
                    label,
                    "a { in this entry is never closed"
                    + (following if n + 1 < len(starts) else "")
                    + "; close every field value and the entry itself",
                )
            )
        elif unbalanced < 0:
            bib.problems.append(
                file.problem(
                    line + chunk.count("\n", 0, at),
                    label,
                    "a } here closes the entry before its end (or closes nothing): "
                    "check this entry's braces",
                )
            )
        if kind in SPECIAL:
            macros += chunk if kind == "string" else ""
            continue
        if not KEY.match(key):
            bib.problems.append(
                file.problem(
                    line,
                    label,
                    "an entry needs a citation key without spaces, such as nhsdigital2018, "
                    "followed by a comma",
                )
            )
            continue
        if key in bib.keys:
            bib.problems.append(
                file.problem(line, key, f"duplicate citation key: already on line {bib.keys[key]}")
            )
            continue
        if anchor(key) in anchors:
            other = anchors[anchor(key)]
            bib.problems.append(
                file.problem(
                    line,
                    key,
                    f"too like the key '{other}' (line {bib.keys[other]}): both would link to "
                    "the same place on the references page; choose another key",
                )
            )
        bib.keys[key] = line
        anchors[anchor(key)] = key
        texts[key] = chunk
    if not starts:
        bib.problems.append(file.problem(1, "(file)", "the bibliography has no entries"))
        bib.readable = False  # every source would be unknown: one message is enough
    if len(bib.problems) > len(notes):
        return bib
    try:
        entries = parse_string(text, "bibtex").entries
    except PybtexError as err:
        bib.problems.append(
            file.problem(getattr(err, "lineno", None) or 1, "(syntax)", f"not valid BibTeX: {err}")
        )
        return bib
    used: dict = {}  # the printing answers this file needs, kept for the next run
    for key, entry in entries.items():
        line, chunk = bib.keys.get(key, 1), texts.get(key, "")
        too_long = _too_long(entry)
        if too_long:
            name, size, limit = too_long
            bib.problems.append(
                file.problem(
                    _field_line(chunk, line, name),
                    f"{key}.{name}",
                    f"{size:,} characters long; a {name} is at most {limit:,}",
                )
            )
            continue
        if not entry.fields.get("title", "").strip():
            bib.problems.append(file.problem(line, key, "the entry needs a title"))
            continue
        linked = _latex_link(entry)
        if linked:
            bib.problems.append(
                file.problem(
                    _field_line(chunk, line, linked),
                    f"{key}.{linked}",
                    "a web address goes in the url field (or a DOI in doi), where it is checked; "
                    "\\url and \\href are not allowed in the text of an entry",
                )
            )
            continue
        try:
            unprintable = _printing_problem(chunk, macros, key, used)
        except (PybtexError, KeyError):  # the entry does not read alone: check it as parsed
            unprintable = _unprintable(entry)
        if unprintable:
            name, why = unprintable
            whole = name == "(entry)"  # a field the entry's type needs, most often
            bib.problems.append(
                file.problem(
                    line if whole else _field_line(chunk, line, name),
                    key if whole else f"{key}.{name}",
                    f"the references page cannot print it ({why})"
                    + (
                        f": give the fields {_article(entry.type)} {entry.type} entry needs, or make "
                        "it a @misc"
                        if whole
                        else "; in BibTeX text a % starts a comment and braces must pair: "
                        "write \\% for a per cent sign"
                    ),
                )
            )
            continue
        url = entry.fields.get("url", "").strip()
        if url and not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
            bib.problems.append(
                file.problem(
                    _field_line(chunk, line, "url"),
                    f"{key}.url",
                    "a web address must start with http:// or https://",
                )
            )
        doi = entry.fields.get("doi", "").strip()
        if doi and not DOI.match(doi):
            bib.problems.append(
                file.problem(
                    _field_line(chunk, line, "doi"),
                    f"{key}.doi",
                    "a DOI looks like 10.1234/abcd (without https://doi.org/)",
                )
            )
    kept.save_used(PRINTABLE, used, _printable_answers()[1])
    return bib


def _latex_link(entry) -> str | None:
    """The first field (or list of names) that holds a LaTeX link command: the references page
    would make it a link without the checks the url field gets."""
    values = {
        **entry.fields,
        **{role: " and ".join(map(str, p)) for role, p in entry.persons.items()},
    }
    for name, value in values.items():
        if name.lower() not in LINKS and LATEX_LINK.search(value):
            return name.lower()
    return None


def _too_long(entry) -> tuple[str, int, int] | None:
    """The first field longer than a real one could be: (field, length, limit)."""
    from mhwkb.markup import MAX_URL

    values = {
        **entry.fields,
        **{role: " and ".join(map(str, p)) for role, p in entry.persons.items()},
    }
    for name, value in values.items():
        limit = MAX_URL if name.lower() in LINKS else MAX_FIELD
        if len(value) > limit:
            return name.lower(), len(value), limit
    return None


PLAIN = "references.json"  # in kept.CACHE: an entry's text -> its fields as plain text


def plain_entries(path: Path) -> dict[str, dict[str, str]]:
    """Every entry of a readable bibliography as plain-text fields (``type``, ``title``,
    ``author``, ``year``...), each kept between runs for its text: after an edit, only the
    entries whose text changed are read again."""
    text = path.read_text(encoding="utf-8")
    answers = kept.load(PLAIN)
    in_file, found, macros = set(answers), [], ""  # macros: the @string definitions so far
    for _, kind, key, chunk in chunks(text):
        if kind in SPECIAL:
            macros += chunk if kind == "string" else ""
        else:
            found.append((key, kept.digest(_code_digest(), macros, chunk, key), macros + chunk))
    missing = [(key, alone) for key, digest, alone in found if digest not in answers]
    parsed = _parsed(missing, text) if missing else {}
    used, out = {}, {}
    for key, digest, _ in found:
        if digest not in answers:
            answers[digest] = _plain(parsed[key])
        used[digest] = out[key] = answers[digest]
    kept.save_used(PLAIN, used, in_file)
    return out


def _parsed(missing: list[tuple[str, str]], text: str) -> dict:
    """The entries not kept yet: one alone (an edit), else the whole file at once (quicker
    than one by one for many)."""
    if len(missing) == 1:
        key, alone = missing[0]
        try:
            entries = parse_string(alone, "bibtex").entries
        except PybtexError:  # it does not read alone: read it with the rest
            entries = {}
        if key in entries:
            return entries
    return parse_string(text, "bibtex").entries


def _plain(entry) -> dict[str, str]:
    from pybtex.richtext import Text

    return {
        "type": entry.type,
        **{name: str(Text.from_latex(value)) for name, value in entry.fields.items()},
        **{role: "; ".join(str(p) for p in ps) for role, ps in entry.persons.items()},
    }


PRINTABLE = "bibliography.json"  # in kept.CACHE: entry text -> why it cannot be printed


@cache
def _printable_answers() -> tuple[dict, set[str]]:
    """Every printing answer this process knows, and the digests the kept file holds."""
    answers = kept.load(PRINTABLE)
    return answers, set(answers)


@cache
def _printing_code() -> tuple[str, ...]:
    """What decides whether an entry prints: this module, the links it makes and pybtex."""
    here = Path(__file__)
    return (
        here.read_text(encoding="utf-8"),
        here.with_name("markup.py").read_text(encoding="utf-8"),
        metadata.version("pybtex"),
        metadata.version("latexcodec"),
    )


@cache
def _code_digest() -> str:
    """One digest of ``_printing_code``: part of the key of every kept answer about entries."""
    return kept.digest(*_printing_code())


def _printing_problem(chunk: str, macros: str, key: str, used: dict) -> tuple[str, str] | None:
    """``_unprintable`` of the entry written as ``chunk`` (with the file's @string macros),
    once per text and code, kept between runs: an edit re-checks only the entries it changed.
    The answer is put in ``used`` under its digest."""
    answers, _ = _printable_answers()
    digest = kept.digest(_code_digest(), macros, chunk, key)
    if digest not in answers:
        answers[digest] = _unprintable(parse_string(macros + chunk, "bibtex").entries[key])
    used[digest] = answers[digest]
    return tuple(answers[digest]) if answers[digest] else None


def _unprintable(entry) -> tuple[str, str] | None:
    """Why the references page could not print an entry, and the field at fault; None when
    it can. Each printed field is read as LaTeX text, as the style reads it, then the whole
    entry is formatted."""
    from pybtex.richtext import Text

    for name, value in entry.fields.items():
        if name.lower() in PRINTED:
            try:
                Text.from_latex(value)
            except PybtexError as err:
                return name.lower(), str(err).split(": ", 1)[-1]
    for role, people in entry.persons.items():
        for person in people:
            try:
                Text.from_latex(str(person))
            except PybtexError as err:
                return role, str(err).split(": ", 1)[-1]
    try:
        for formatted in formatting_style()().format_entries([entry]):
            formatted.text.render_as("text")
    except (PybtexError, KeyError, ValueError, TypeError) as err:
        return "(entry)", str(err) or type(err).__name__
    return None


@cache
def formatting_style():
    """pybtex's plain style, keeping titles as written and linking only safe URLs: the style
    of the references page (registered as ``kb`` by ``mhwkb.sphinx_ext``)."""
    from pybtex.style import FormattedEntry
    from pybtex.style.formatting.plain import Style
    from pybtex.style.template import field, href, join, sentence, words

    from mhwkb.markup import safe_url

    class KnowledgeBaseStyle(Style):
        def format_entry(self, label, entry, bib_data=None):
            """An entry formatted once per text, and kept between builds: the references page
            and the citations' tooltips each ask for every entry, and an entry's number (its
            label) changes whenever one is added before it, while its text does not."""
            text = (
                entry.type,
                tuple(entry.fields.items()),
                tuple((role, tuple(map(str, people))) for role, people in entry.persons.items()),
            )
            options = (type(self.name_style).__name__, self.abbreviate_names, self.min_crossrefs)
            digest = kept.digest(_code_digest(), entry.key, repr((text, options)))
            formatted, used, _ = _formatted()
            if digest not in formatted:
                formatted[digest] = super().format_entry(label, entry, bib_data).text
            used.add(digest)
            return FormattedEntry(entry.key, formatted[digest], label)

        def format_title(self, e, which_field, as_sentence=True):
            title = field(which_field)
            return sentence[title] if as_sentence else title

        def format_url(self, e):
            url = safe_url(e.fields.get("url", ""))
            if url is None:
                return words["URL (not linked):", field("url", raw=True)]
            copy = copied_on(url)
            if copy:
                return words[
                    "URL:",
                    href(url)[url],
                    f"(a copy on {copy}: the publisher's own page was not found)",
                ]
            return words["URL:", href(url)[url]]

        def format_doi(self, e):
            url = safe_url("doi:" + e.fields.get("doi", ""))
            if url is None:
                return join["doi (not linked): ", field("doi", raw=True)]
            return href(url)[join["doi:", field("doi", raw=True)]]

    return KnowledgeBaseStyle


FORMATTED = "references.pickle"  # in kept.CACHE: an entry's text -> its formatted text


@cache
def _formatted() -> tuple[dict, set[str], set[str]]:
    """Every formatted entry this process knows, the digests used since it started and those
    the kept file holds."""
    formatted = kept.load(FORMATTED)
    return formatted, set(), set(formatted)


def keep_formatted() -> None:
    """Keep the entries formatted in this build, and only those, for the next one."""
    formatted, used, in_file = _formatted()
    if used:  # a process that formatted nothing leaves the file as it is
        kept.save_used(FORMATTED, {d: formatted[d] for d in used}, in_file)


def copied_on(url: str) -> str | None:
    """The site an address belongs to when that site only republishes (``COPY_HOSTS``)."""
    try:
        host = (urlsplit(url.strip()).hostname or "").removeprefix("www.")
    except ValueError:  # not an address (a bracket that opens no IPv6 host)
        return None
    return next((h for h in COPY_HOSTS if host == h or host.endswith("." + h)), None)


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
