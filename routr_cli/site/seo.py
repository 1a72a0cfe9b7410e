"""What search engines read: JSON-LD, sitemaps and robots.txt.

Honest by construction: ``Dataset`` (with its downloads) on leaderboard and pair pages,
``BreadcrumbList`` on every page, ``WebSite`` on the home page, and no rating markup
(a pass rate is not a review). Sitemaps list only indexable pages, with ``lastmod`` the
newest attempt behind each page (never the build time, which changes nothing a reader
cares about), split per page type and at most 50,000 URLs per file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from markupsafe import Markup

from routr_cli.site.inputs import Download

SITEMAP_LIMIT = 50_000
SCHEMA = "https://schema.org"


def script_json(data: Any) -> Markup:
    """JSON safe inside ``<script>``: ``<``, ``>`` and ``&`` escaped as ``\\u`` sequences.

    A task title containing ``</script>`` would otherwise end the block and inject markup.
    """
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def breadcrumbs(trail: Sequence[tuple[str, str]], root_url: str) -> dict[str, Any]:
    """``BreadcrumbList`` from ``(name, path)`` pairs, home first."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": root_url + path}
            for i, (name, path) in enumerate(trail, start=1)
        ],
    }


def website(name: str, root_url: str, description: str) -> dict[str, Any]:
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": name,
        "url": root_url,
        "description": description,
    }


def dataset(
    *,
    name: str,
    description: str,
    url: str,
    root_url: str,
    site_name: str,
    date_modified: str | None,
    downloads: Sequence[Download],
    keywords: Sequence[str],
) -> dict[str, Any]:
    """``Dataset`` with one ``DataDownload`` per file (Google requires name and description).

    No ``contentSize``: the site-wide files grow with every model added, and a size on
    every pair page would make each of them change with it (a rebuild could never be
    small). The downloads page lists every file's size."""
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": url,
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": site_name, "url": root_url},
        "keywords": list(keywords),
        "measurementTechnique": "hidden tests run in a network-less Docker sandbox",
        "distribution": [
            {
                "@type": "DataDownload",
                "name": d.title,
                "encodingFormat": d.media_type,
                "contentUrl": root_url + d.path,
            }
            for d in downloads
        ],
    }
    if date_modified:
        data["dateModified"] = date_modified
    return data


@dataclass(frozen=True)
class SitemapEntry:
    path: str
    lastmod: str | None  # ISO date of the newest attempt behind the page


def sitemap_files(groups: Mapping[str, Sequence[SitemapEntry]], root_url: str) -> dict[str, str]:
    """``sitemap.xml`` (the index) plus ``sitemaps/{group}-{n}.xml``, as path -> text.

    Every group gets at least one file, even when empty, so the index's shape does not
    depend on the data (an empty ``urlset`` is valid).
    """
    files: dict[str, str] = {}
    index: list[tuple[str, str | None]] = []
    for group in sorted(groups):
        entries = sorted(groups[group], key=lambda e: e.path)
        chunks = [
            entries[i : i + SITEMAP_LIMIT] for i in range(0, len(entries), SITEMAP_LIMIT)
        ] or [[]]
        for n, chunk in enumerate(chunks, start=1):
            path = f"sitemaps/{group}-{n}.xml"
            files[path] = _urlset(chunk, root_url)
            mods = [e.lastmod for e in chunk if e.lastmod]
            index.append((path, max(mods) if mods else None))
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path, lastmod in index:
        lines.append(f"<sitemap><loc>{xml_escape(root_url + path)}</loc>")
        if lastmod:
            lines.append(f"<lastmod>{lastmod}</lastmod>")
        lines.append("</sitemap>")
    lines.append("</sitemapindex>")
    files["sitemap.xml"] = "\n".join(lines) + "\n"
    return files


def _urlset(entries: Sequence[SitemapEntry], root_url: str) -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for entry in entries:
        mod = f"<lastmod>{entry.lastmod}</lastmod>" if entry.lastmod else ""
        lines.append(f"<url><loc>{xml_escape(root_url + entry.path)}</loc>{mod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(root_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {root_url}sitemap.xml\n"
