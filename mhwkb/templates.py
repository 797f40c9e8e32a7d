"""The Jinja2 templates in ``mhwkb/templates/``: HTML fragments and MyST pages.

Every value a template prints is escaped for where it lands: ``*.html`` templates escape
for HTML (``markup.html``), ``*.md`` templates for MyST (``markup.myst``). Only markup built
here (``Markup`` for HTML, ``MyST`` for MyST) is printed as it is.
"""

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from mhwkb import markup

FOLDER = Path(__file__).parent / "templates"


def _html_value(value):
    return value if isinstance(value, Markup) else markup.html("" if value is None else value)


def _myst_value(value):
    if isinstance(value, Markup):
        raise TypeError("HTML in a MyST template: wrap it with raw_html()")
    return markup.myst("" if value is None else value)


def _globals() -> dict:
    from mhwkb import data, kinds, links, prose

    return {
        "source_name": data.source_name,  # a source by its publisher, title and year
        "source_url": data.source_url,
        "period": prose.period_label,
        "with_unit": prose.with_unit,
        "href": links.href,
        "anchor": kinds.anchor,
        "cite_anchor": kinds.cite_anchor,
        "safe_url": markup.safe_url,  # any URL from data: a link only when http(s) or a DOI
        "raw_html": markup.raw_html,
        "url_link": markup.myst_link,  # a URL from data, linked only when http(s) or a DOI
        "html_inline": markup.MyST,  # for markup written in a template, never for data
        "link": links.link,
        "cite_role": kinds.cite,
        "doc": kinds.doc,
    }


@cache
def _environment(kind: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(FOLDER),
        autoescape=kind == "html",
        finalize=_html_value if kind == "html" else _myst_value,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals.update(_globals())
    return env


def html(name: str, **context) -> Markup:
    """Render ``templates/name`` (an .html template) to a safe HTML fragment."""
    return Markup(_environment("html").get_template(name).render(**context).strip())


def html_module(name: str):
    """The macros of an HTML template, callable from Python."""
    return _environment("html").get_template(name).module


def myst(name: str, **context) -> str:
    """Render ``templates/name`` (an .md template) to a MyST page."""
    return _environment("myst").get_template(name).render(**context)


def sources() -> list[str]:
    """The text of every template, for digests of what shapes a page or chart."""
    return [p.read_text(encoding="utf-8") for p in sorted(FOLDER.glob("*"))]
