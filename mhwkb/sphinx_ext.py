"""Sphinx extension of the book: keep pages free of scripts that reach other hosts.

Jupyter Book v1 always loads sphinx-thebe, whose page script names a public CDN and
declares ``THEBE_JS_URL`` on every page even with launch buttons off. The book has no live
kernels, so its scripts and styles are dropped from every page.
"""


def _is_thebe(asset) -> bool:
    body = getattr(asset, "attributes", {}).get("body", "") or ""
    return "thebe" in str(asset).lower() or "thebe" in body.lower()


def _drop_thebe(app, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if not _is_thebe(a)]


def setup(app):
    app.connect("html-page-context", _drop_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
