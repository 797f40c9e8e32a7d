"""Check a built site: every internal link and anchor resolves, and nothing loads from another host."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (attribute, value)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("id", "name") and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.links.append((f"{tag}.{name}", value))


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def problems(site: Path) -> list[str]:
    """Broken internal links or anchors, and any resource loaded from another host."""
    pages = {p: parse(p) for p in site.rglob("*.html") if "_static" not in p.parts}
    out = []
    for path, page in pages.items():
        for attr, url in page.links:
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "data", "javascript"):
                continue
            if parts.scheme or parts.netloc:
                if attr != "a.href":  # a link out is fine; loading a script, style or image is not
                    out.append(f"{path.relative_to(site)}: loads {url} from another host")
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                out.append(f"{path.relative_to(site)}: broken link {url}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    out.append(
                        f"{path.relative_to(site)}: no anchor #{parts.fragment} in {target.relative_to(site)}"
                    )
    return out
