"""Sphinx extension of the book: safe, offline and accessible pages.

- Page titles reach the theme as text. sphinx-book-theme replaces the ``pagetitle`` and
  ``root_title`` the templates print with ``title.astext()``, plain text that its print
  heading (``<h1>{{ pagetitle }}</h1>`` in its layout.html) inserts without escaping, so a
  title typed as ``<script>...`` would run. Both are HTML-escaped here, after the theme.
- Records shown in chapters carry their anchors in HTML (``mhwkb.kinds``); those anchors
  are registered as Sphinx labels, so a MyST link ``[text](#finding-inpatient)`` from a
  generated page is resolved and checked by Sphinx like any other.
- The references keep their titles' capitals and link a work only to an http(s) URL or a
  DOI (style ``kb``, a pybtex style). Each entry is formatted once for its text and kept for
  the next build (``mhwkb.bibliography.keep_formatted``).
- pybtex looks its plugins up in the installed packages' metadata once per citation; they
  are looked up once per build instead (``mhwkb.bibliography.look_up_plugins_once``).
- The root page redirecting to the first page names the site's icon and title.
- Jupyter Book v1 always loads sphinx-thebe, whose page script names a public CDN and
  declares ``THEBE_JS_URL`` on every page even with launch buttons off. The book has no live
  kernels, so its scripts and styles are dropped from every page, as are sphinx-design's
  (the book uses none of its directives).
- Every written page is rewritten: the theme's Font Awesome script (1.4 MB) is removed (its
  icons come from the web font the theme's CSS already loads), so are the search scripts
  outside the search page, and two markup patterns that fail accessibility checks are fixed:
  the theme's navigation toggles (``<summary>`` elements holding only an icon, announced
  without a name) and docutils' bibliography entries (``role="doc-biblioentry"``, a
  deprecated role that also breaks the surrounding ``role="list"``).
"""

import html
import re
from pathlib import Path

from docutils import nodes

from mhwkb.bibliography import formatting_style, keep_formatted, look_up_plugins_once
from mhwkb.kinds import anchor_prefixes

REWRITES = {
    '<summary><span class="toctree-toggle" role="presentation">': '<summary aria-label="Show or hide the pages in this section"><span class="toctree-toggle" role="presentation">',
    'role="doc-biblioentry"': 'role="listitem"',
}
# Scripts the theme writes into its layout, not the page context: Font Awesome (1.4 MB; the
# icons come from the web font its CSS loads) and, outside the search page, the search index
# and tools, used only by search-as-you-type, which the book leaves off.
REMOVED = re.compile(r'\s*<script defer src="[^"]*/fontawesome\.js[^"]*"></script>')
SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:searchtools|language_data|searchindex)\.js[^"]*"></script>'
)
_ID = re.compile(r'\bid="([a-z][a-z0-9-]*)"')


DROPPED = ("thebe", "sphinx-design", "design-tabs")  # assets of extensions the book never uses


def _is_dropped(asset) -> bool:
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return any(name in (str(asset) + body).lower() for name in DROPPED)


def _drop_assets(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_dropped(a)]


def _escape_titles(app, pagename, templatename, context, doctree) -> None:
    for key in ("pagetitle", "root_title"):
        if isinstance(context.get(key), str):
            context[key] = html.escape(context[key])


def _register_record_anchors(app, doctree) -> None:
    """Make the anchors of records rendered as HTML in a page linkable Sphinx labels."""
    std = app.env.get_domain("std")
    prefixes = anchor_prefixes()
    for raw in doctree.findall(nodes.raw):
        if "html" not in raw.get("format", "").split():
            continue
        for anchor in _ID.findall(raw.astext()):
            if anchor.startswith(prefixes) and anchor not in std.labels:
                std.anonlabels[anchor] = (app.env.docname, anchor)


def _note_written(app, pagename, templatename, context, doctree) -> None:
    app.env.mhwkb_written = getattr(app.env, "mhwkb_written", set()) | {pagename}


def _rewrite_pages(app, exception) -> None:
    """Rewrite the pages written by this build (an incremental build leaves the others alone)."""
    if exception is not None or app.builder.format != "html":
        return
    written = getattr(app.env, "mhwkb_written", set())
    app.env.mhwkb_written = set()
    for name in written:
        page = Path(app.builder.get_outfilename(name))
        if not page.exists():
            continue
        text = original = page.read_text(encoding="utf-8")
        for old, new in REWRITES.items():
            text = text.replace(old, new)
        text = REMOVED.sub("", text)
        if name != "search":
            text = SEARCH_SCRIPTS.sub("", text)
        if text != original:
            page.write_text(text, encoding="utf-8")


ROOT_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta http-equiv="Refresh" content="0; url={first}">
<link rel="icon" href="_static/favicon.svg">
</head>
<body><p><a href="{first}">{title}</a></p></body>
</html>
"""


def _root_page(app, exception) -> None:
    """The site's root page: a redirect to the first page that names the icon, so a browser
    does not ask for a missing /favicon.ico (written before sphinx-external-toc's bare one)."""
    if exception is not None or app.builder.format != "html":
        return
    first = f"{app.config.root_doc}.html"
    title = html.escape(app.config.html_title or app.config.project)
    text = ROOT_PAGE.format(title=title, first=first)
    page = Path(app.outdir) / "index.html"
    if not page.exists() or page.read_text(encoding="utf-8") != text:
        page.write_text(text, encoding="utf-8")


def setup(app):
    from pybtex.plugin import register_plugin

    look_up_plugins_once()
    app.connect("build-finished", _root_page, priority=400)

    register_plugin("pybtex.style.formatting", "kb", formatting_style(), force=True)
    app.connect("doctree-read", _register_record_anchors)
    app.connect("html-page-context", _drop_assets, priority=900)
    app.connect("html-page-context", _escape_titles, priority=900)
    app.connect("html-page-context", _note_written)
    app.connect("build-finished", _rewrite_pages)
    app.connect("build-finished", lambda app, exception: keep_formatted())
    return {"parallel_read_safe": True, "parallel_write_safe": True}
