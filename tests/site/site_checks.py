"""Checks over a built site tree: HTML well-formedness, links, JSON-LD, sitemaps.

Used by the render tests (fixture data) and the CLI test (a real database). The HTML
check is strict about nesting: every non-void element must be closed in order, so a
template that forgets ``</table>`` fails here, not in a browser that quietly repairs it.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit
from xml.etree import ElementTree

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
# Elements HTML lets authors leave open; the templates close them anyway, so none are
# exempt: listed only to give a clearer message if one ever is.
SVG_VOID = {"circle", "line", "rect", "polyline", "path"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass
class ParsedPage:
    path: str
    title: str = ""
    lang: str | None = None
    links: list[str] = field(default_factory=list)  # href and src values
    ids: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    landmarks: set[str] = field(default_factory=set)
    meta: dict[str, str] = field(default_factory=dict)  # name/property -> content
    canonical: str | None = None
    jsonld: list[dict[str, object]] = field(default_factory=list)
    th_without_scope: int = 0
    svg_without_title: int = 0
    svgs: int = 0
    errors: list[str] = field(default_factory=list)
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self, page: ParsedPage) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self._in_title = False
        self._script_type: str | None = None
        self._script_text: list[str] = []
        self._svg_has_title = False
        self._texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.page.lang = a.get("lang")
        if tag in ("a", "link") and "href" in a and a.get("rel") != "canonical":
            self.page.links.append(a["href"])
        if tag in ("script", "img") and "src" in a:
            self.page.links.append(a["src"])
        if "data-model" in a:
            self.page.links.append(a["data-model"])
        if tag == "link" and a.get("rel") == "canonical":
            self.page.canonical = a.get("href")
        if tag == "meta":
            key = a.get("name") or a.get("property") or a.get("http-equiv")
            if key:
                self.page.meta[key] = a.get("content", "")
        if "id" in a:
            self.page.ids.append(a["id"])
        if re.fullmatch(r"h[1-6]", tag):
            self.page.headings.append(int(tag[1]))
        if tag in ("main", "header", "footer", "nav"):
            self.page.landmarks.add(tag)
        if tag == "th" and a.get("scope") not in ("col", "row"):
            self.page.th_without_scope += 1
        if tag == "svg":
            self.page.svgs += 1
            self._svg_has_title = False
            if a.get("role") != "img":
                self.page.errors.append("svg without role=img")
        if tag == "title" and "svg" in self.stack:
            self._svg_has_title = True
        if tag == "title" and "svg" not in self.stack:
            self._in_title = True
        if tag == "script":
            self._script_type = a.get("type", "")
            self._script_text = []
        if tag in VOID:
            return
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID or tag in SVG_VOID:
            self.handle_starttag(tag, attrs)
            if tag in SVG_VOID:
                self.stack.pop()
            return
        self.page.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.page.errors.append(f"end tag for void <{tag}>")
            return
        if not self.stack or self.stack[-1] != tag:
            self.page.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            return
        self.stack.pop()
        if tag == "title":
            self._in_title = False
        if tag == "svg" and not self._svg_has_title:
            self.page.svg_without_title += 1
        if tag == "script":
            if self._script_type == "application/ld+json":
                self.page.jsonld.append(json.loads("".join(self._script_text)))
            self._script_type = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data
        if self._script_type is not None:
            self._script_text.append(data)
        elif "svg" not in self.stack and "head" not in self.stack:
            self._texts.append(data)

    def close(self) -> None:
        super().close()
        if self.stack:
            self.page.errors.append(f"unclosed: {self.stack}")
        self.page.text = " ".join(" ".join(self._texts).split())


def parse_page(path: str, html: str) -> ParsedPage:
    page = ParsedPage(path)
    if not html.startswith("<!doctype html>"):
        page.errors.append("no doctype")
    parser = _Parser(page)
    parser.feed(html)
    parser.close()
    return page


def parse_site(out: Path) -> dict[str, ParsedPage]:
    """Every .html file under ``out``, parsed, by path relative to ``out``."""
    return {
        p.relative_to(out).as_posix(): parse_page(
            p.relative_to(out).as_posix(), p.read_text(encoding="utf-8")
        )
        for p in sorted(out.rglob("*.html"))
    }


def resolve(page_path: str, href: str, root_url: str) -> str | None:
    """The site file an href points to, or None for an external link."""
    href = urldefrag(href)[0]
    if not href:
        return page_path
    if href.startswith(root_url):
        target = href[len(root_url) :]
    else:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), parts.path))
        if parts.path.endswith("/") and not target.endswith("/"):
            target += "/"
        if target == "./" or target == ".":
            target = ""
    if target == "" or target.endswith("/"):
        target += "index.html"
    return target


def redirect_target(page: ParsedPage) -> str | None:
    refresh = page.meta.get("refresh")
    if not refresh:
        return None
    return refresh.split("url=", 1)[1]


def check_links(out: Path, pages: dict[str, ParsedPage], root_url: str) -> list[str]:
    """Broken internal links and orphan pages (unreachable from the home page)."""
    problems: list[str] = []
    graph: dict[str, set[str]] = {}
    for path, page in pages.items():
        targets: set[str] = set()
        hrefs = [*page.links]
        refresh = redirect_target(page)
        if refresh:
            hrefs.append(refresh)
        for href in hrefs:
            target = resolve(path, href, root_url)
            if target is None:
                continue
            if ".." in target.split("/") or not (out / target).is_file():
                problems.append(f"{path}: broken link {href!r} -> {target}")
                continue
            targets.add(target)
        graph[path] = targets
    seen = {"index.html"}
    queue = deque(["index.html"])
    while queue:
        for target in graph.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    for path, page in pages.items():
        if path == "404.html" or redirect_target(page):
            continue  # served for missing paths / reached by their reverse-order URL
        if path not in seen:
            problems.append(f"orphan page: {path}")
    return problems


def sitemap_urls(out: Path) -> dict[str, list[tuple[str, str | None]]]:
    """Sitemap file -> [(loc, lastmod)], starting from the index."""
    index = ElementTree.parse(out / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    found: dict[str, list[tuple[str, str | None]]] = {}
    for sitemap in index.findall(f"{SITEMAP_NS}sitemap"):
        loc = sitemap.findtext(f"{SITEMAP_NS}loc")
        assert loc is not None
        name = loc.rsplit("/", 2)[-2] + "/" + loc.rsplit("/", 1)[-1]
        root = ElementTree.parse(out / name).getroot()
        assert root.tag == f"{SITEMAP_NS}urlset"
        found[name] = [
            (u.findtext(f"{SITEMAP_NS}loc") or "", u.findtext(f"{SITEMAP_NS}lastmod"))
            for u in root.findall(f"{SITEMAP_NS}url")
        ]
    return found


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()
    }
