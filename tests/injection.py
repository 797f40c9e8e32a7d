"""Find markup that came from data in a built site: the checks behind the hostile-string tests."""

import json
from html.parser import HTMLParser
from pathlib import Path

from hostile import MARK


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script: str | None = None  # the type of the script being read, if any
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if MARK in name or (name.startswith("on") and MARK in value):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action") and value.strip().lower().startswith(
                ("javascript:", "vbscript:", "data:text/html")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in ("script", "style"):
            self._script = dict(attrs).get("type") or tag
            self._text = []

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._script is not None:
            text = "".join(self._text)
            if self._script == "application/json":
                try:
                    json.loads(text)
                except ValueError:
                    self.found.append(f"a JSON script block that is not JSON: {text[:80]!r}")
            elif MARK in text:
                self.found.append(f"<{tag}> {text[:80]!r}")
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)


def injected(site: Path) -> dict[str, list[str]]:
    """Per page, every element, attribute or script that carries the hostile marker."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        if "_static" in path.parts:
            continue
        scan = _Scan()
        scan.feed(path.read_text(encoding="utf-8"))
        if scan.found:
            out[path.relative_to(site).as_posix()] = scan.found
    return out


def leaked(site: Path, secret: str) -> list[str]:
    """Files of the site that contain ``secret`` (text of a file outside the project)."""
    return [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and secret.encode() in p.read_bytes()
    ]
