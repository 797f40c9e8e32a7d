"""Sphinx extension of the book: offline and accessible pages.

- Jupyter Book v1 always loads sphinx-thebe, whose page script names a public CDN and
  declares ``THEBE_JS_URL`` on every page even with launch buttons off. The book has no live
  kernels, so its scripts and styles are dropped from every page.
- pybtex looks its plugins up in the installed packages' metadata once per citation; they
  are looked up once per build instead (``mhwkb.bibliography.look_up_plugins_once``).
- The root page redirecting to the first page names the site's icon and title.
- Two markup patterns fail accessibility checks and are rewritten in every written page:
  the theme's navigation toggles (``<summary>`` elements holding only an icon, announced
  without a name) and docutils' bibliography entries (``role="doc-biblioentry"``, a
  deprecated role that also breaks the surrounding ``role="list"``).
"""

from pathlib import Path

from mhwkb.bibliography import look_up_plugins_once

REWRITES = {
    '<summary><span class="toctree-toggle" role="presentation">': '<summary aria-label="Show or hide the pages in this section"><span class="toctree-toggle" role="presentation">',
    'role="doc-biblioentry"': 'role="listitem"',
}


def _is_thebe(asset) -> bool:
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return "thebe" in str(asset).lower() or "thebe" in body.lower()


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def _note_written(app, pagename, templatename, context, doctree) -> None:
    app.env.mhwkb_written = getattr(app.env, "mhwkb_written", set()) | {pagename}


def _fix_accessibility(app, exception) -> None:
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
    from html import escape

    first = f"{app.config.root_doc}.html"
    text = ROOT_PAGE.format(title=escape(app.config.html_title or app.config.project), first=first)
    page = Path(app.outdir) / "index.html"
    if not page.exists() or page.read_text(encoding="utf-8") != text:
        page.write_text(text, encoding="utf-8")


def setup(app):
    look_up_plugins_once()
    app.connect("build-finished", _root_page, priority=400)
    app.connect("html-page-context", _drop_thebe, priority=900)
    app.connect("html-page-context", _note_written)
    app.connect("build-finished", _fix_accessibility)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
