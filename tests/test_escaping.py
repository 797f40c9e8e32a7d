"""The escaping functions against the hostile-string corpus: text into MyST, text into HTML,
URLs from data. MyST is parsed by MyST-parser itself, with raw HTML and file inclusion on, so
an escape that let anything through would show up as a node that is not text."""

from html.parser import HTMLParser

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from hostile import CORPUS, MARK
from injection import injected
from myst_parser.parsers.docutils_ import Parser

from mhwkb import markup, templates

SETTINGS = {
    "myst_enable_extensions": ["colon_fence", "deflist", "substitution"],
    "report_level": 5,
    "raw_enabled": True,
    "file_insertion_enabled": True,
}
TEXT_NODES = (nodes.document, nodes.Text, nodes.paragraph)


def doctree(source: str) -> nodes.document:
    return publish_doctree(source, parser=Parser(), settings_overrides=SETTINGS)


def only_text(tree: nodes.document, allowed: tuple = ()) -> list[str]:
    """Every node that is neither text nor one of the structures the template itself wrote."""
    return [n.tagname for n in tree.findall() if not isinstance(n, TEXT_NODES + allowed)]


CONTEXTS = {  # where a template puts escaped text, and the structure it expects around it
    "paragraph": ("Before {} after.\n", ()),
    "heading": ("# {}\n\nBody.\n", (nodes.section, nodes.title)),
    "list item": ("- {}\n- second\n", (nodes.bullet_list, nodes.list_item)),
    "link text": ("See [{}](https://example.org/).\n", (nodes.reference,)),
    "definition": ("Term\n: {}\n", (nodes.definition_list, nodes.definition_list_item,
                                     nodes.term, nodes.definition)),
    "strong": ("**{}**\n", (nodes.strong,)),
}  # fmt: skip


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
@pytest.mark.parametrize("context", list(CONTEXTS))
def test_myst_escape_keeps_any_string_as_text(context, text):
    template, allowed = CONTEXTS[context]
    tree = doctree(template.format(markup.myst(text)))
    assert only_text(tree, allowed) == []
    assert markup.one_line(text) in tree.astext()


def test_myst_escape_is_one_line_and_strips_controls():
    assert markup.myst("a\n\n# b\u2028c\u202e\x07") == "a \\# b c"


@pytest.mark.parametrize("text", CORPUS, ids=range(len(CORPUS)))
def test_html_escape_keeps_any_string_as_text(text):
    class Collect(HTMLParser):
        tags: list = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)

    fragment = f'<p title="{markup.html(text)}">{markup.html(text)}</p>'
    parser = Collect()
    parser.tags = []
    parser.feed(fragment)
    assert parser.tags == ["p"]
    assert "`" not in fragment  # cannot close the fenced block an HTML fragment sits in


@pytest.mark.parametrize(
    "url,expected",
    [
        ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
        ("http://example.org", "http://example.org"),
        ("10.1192/bjp.2017.1", "https://doi.org/10.1192/bjp.2017.1"),
        ("doi:10.1192/bjp.2017.1", "https://doi.org/10.1192/bjp.2017.1"),
        ("https://doi.org/10.1192/x", "https://doi.org/10.1192/x"),
        ("javascript:alert(1)", None),
        (" JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>", None),
        ("vbscript:x", None),
        ("//example.org/x", None),
        ("../../etc/passwd", None),
        ('https://example.org/"onmouseover="x', None),
        ("https://en.wikipedia.org/wiki/A_(b)", "https://en.wikipedia.org/wiki/A_%28b%29"),
        ("10.1002/(SICI)1<2>3", "https://doi.org/10.1002/%28SICI%291%3C2%3E3"),
        ("doi:10.1234/x>)<script>", "https://doi.org/10.1234/x%3E%29%3Cscript%3E"),
        ("https://", None),
        ("", None),
    ],
)
def test_only_http_https_and_doi_urls_are_links(url, expected):
    assert markup.safe_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "10.1234/a>)<b onmouseover=x>",
        "doi:10.1234/a)](javascript:alert('kbxss'))",
        "https://doi.org/10.1234/\"><script>alert('kbxss')</script>",
        "10.1234/a b\\c`d'e\"f",
    ],
)
def test_a_link_built_from_data_cannot_end_its_own_link(url):
    """A DOI with quotes, brackets, parentheses or spaces: one link, to doi.org, and the rest
    of the line stays text, in MyST and in HTML."""
    target = markup.safe_url(url)
    assert target.startswith("https://doi.org/10.1234/")
    assert not set(target) & set("<>\"'`() \\")
    tree = doctree(f"Before {markup.myst_link(url, 'the work')} after.\n")
    links = list(tree.findall(nodes.reference))
    assert [link["refuri"] for link in links] == [target]
    assert only_text(tree, (nodes.reference,)) == []
    fragment = (
        templates._environment("html").from_string('<a href="{{ u }}">x</a>').render(u=target)
    )
    parser = _Tags()
    parser.feed(fragment)
    assert parser.attrs == [("href", target)]


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.attrs = []

    def handle_starttag(self, tag, attrs):
        self.attrs += attrs


def test_raw_block_fence_outlasts_any_backticks_inside():
    fragment = "<p>a\n```\n````\nb</p>"
    block = markup.raw_html(fragment)
    tree = doctree(block + "\n\nAfter.\n")
    raws = list(tree.findall(nodes.raw))
    assert len(raws) == 1 and raws[0].astext() == fragment


def test_templates_escape_by_context():
    evil = CORPUS[1]
    html = templates.html("quality_note.html", record=_Note(evil), anchor="quality-x")
    assert "<img" not in html and "&lt;img" in html
    page = templates._environment("myst").from_string("# {{ t }}\n").render(t=evil)
    assert only_text(doctree(page), (nodes.section, nodes.title)) == []


class _Note:
    def __init__(self, text):
        self.title = self.detail = self.kind = text
        self.source = "cmh2017"


def test_injection_detector_finds_markup_from_data(tmp_path):
    page = tmp_path / "a.html"
    page.write_text(
        f'<p>{MARK} as text is fine</p><script type="application/json">{{"a": "{MARK}"}}</script>'
        f'<img src=x onerror="alert(\'{MARK}\')"><a href="javascript:x">x</a>'
        f"<script>alert('{MARK}')</script><b data-{MARK}=1></b>",
        encoding="utf-8",
    )
    found = injected(tmp_path)["a.html"]
    assert len(found) == 4, found


def test_page_titles_reach_the_theme_escaped():
    from mhwkb.sphinx_ext import _escape_titles

    context = {"pagetitle": "<script>x</script>", "root_title": "<b>"}
    _escape_titles(None, "p", "page.html", context, None)
    assert context == {"pagetitle": "&lt;script&gt;x&lt;/script&gt;", "root_title": "&lt;b&gt;"}
