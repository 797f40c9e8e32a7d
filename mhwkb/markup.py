"""Escaping by context: text into MyST, text into HTML, and URLs from data.

Anything a contributor types is data. ``myst`` makes it literal inline MyST text (it cannot
end a block, start a directive, a role, a heading, a link or HTML); ``html`` makes it HTML
text or attribute content; ``safe_url`` lets through only http, https and DOI links. The
templates (``mhwkb.templates``) apply the first two to every value they print.
"""

import re
import unicodedata
from urllib.parse import quote

from markupsafe import Markup
from markupsafe import escape as _escape

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/.+)$", re.IGNORECASE)
MAX_URL = 2048  # longer than any real address: refused by the validator, never a link
_UNSAFE = frozenset("<>\"'`\\")
# What a link from data may hold as it is: letters, digits and the URL delimiters that cannot
# end a Markdown link target or an HTML attribute. Anything else is percent-encoded.
_URL_SAFE = ":/?#@!$&*+,;=%-._~"
_FENCE = re.compile(r"`+")


class MyST(str):
    """MyST markup built by the templates, not by a contributor: printed as it is."""


def one_line(text: object) -> str:
    """The text on one line: runs of whitespace (newlines included) become one space and
    control and format characters (bidirectional overrides, zero-width joiners) are dropped."""
    text = _SPACE.sub(" ", str(text))
    return "".join(c for c in text if unicodedata.category(c) not in {"Cc", "Cf"}).strip()


def myst(text: object) -> MyST:
    """Text as literal inline MyST: one line, every ASCII punctuation mark backslash-escaped."""
    if isinstance(text, MyST):
        return text
    return MyST(_PUNCT.sub(r"\\\1", one_line(text)))


def html(text: object) -> Markup:
    """Text as HTML text or a quoted attribute value. Backticks become entities too, so no
    escaped text can end the fenced block an HTML fragment sits in on a MyST page."""
    if isinstance(text, Markup):
        return text
    return Markup(str(_escape(str(text))).replace("`", "&#96;"))


def safe_url(url: object) -> str | None:
    """An http(s) URL or a DOI (as its https://doi.org/ link), else None: a ``javascript:``,
    ``data:`` or relative URL from data is never made into a link. The link holds only the
    characters a URL may: any other character of a DOI is percent-encoded, so nothing in it
    can end the Markdown link or the HTML attribute it is put in; an http(s) URL with a quote,
    an angle bracket, a backtick or a backslash is refused. Every check reads the text once,
    so a long value is decided as fast as a short one."""
    text = str(url or "").strip()
    if len(text) > MAX_URL:
        return None
    doi = _DOI.match(text)
    if doi:
        return "https://doi.org/" + quote(doi.group(1), safe=_URL_SAFE)
    scheme, sep, rest = text.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return None
    if any(c.isspace() or c in _UNSAFE for c in text):
        return None
    host = rest
    for end in "/?#":
        host = host.partition(end)[0]
    return quote(text, safe=_URL_SAFE) if "." in host[1:-1] else None


def raw_html(fragment: str) -> MyST:
    """An HTML fragment as a MyST raw block, fenced so no line of it can close the block."""
    longest = max((len(m) for m in _FENCE.findall(fragment)), default=0)
    fence = "`" * max(3, longest + 1)
    body = fragment.strip("\n")
    if body.startswith((":", "-")):  # would read as directive options
        raise ValueError("an HTML fragment must start with markup")
    return MyST(f"{fence}{{raw}} html\n{body}\n{fence}")


def myst_link(url: object, text: object) -> MyST:
    """A MyST link to a URL from data when ``safe_url`` allows it, else the text alone."""
    target = safe_url(url)
    return MyST(f"[{myst(text)}](<{target}>)") if target else myst(text)
