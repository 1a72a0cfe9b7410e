"""One page of the site, as planned before rendering: where, what, and how it is indexed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

INDEX = "index,follow"
THIN = "noindex,follow"  # kept for visitors, left out of search results and sitemaps
HIDDEN = "noindex,nofollow"  # simulated data: never offered as real figures


@dataclass
class Page:
    """A page to render.

    ``path`` is the URL path below the site root: ``""`` for home, ``"compare/a-vs-b/"``
    (written to ``compare/a-vs-b/index.html``), or a file name such as ``"404.html"``.
    ``trail`` is the breadcrumb, home first and this page last, as (name, path) pairs.
    ``lastmod`` is the newest attempt behind the page (ISO); ``group`` its sitemap.
    """

    path: str
    template: str
    title: str
    description: str
    trail: list[tuple[str, str]]
    context: dict[str, Any] = field(default_factory=dict)
    lastmod: str | None = None
    group: str | None = None
    robots: str = INDEX
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    redirect: str | None = None  # the canonical page this one points to (reverse pairs)
    og_type: str = "website"
    # Context that only the page's own rendering needs (evidence lists, charts,
    # JSON-LD): computed when the page is rendered, so render workers share the work.
    late: Callable[[], dict[str, Any]] | None = field(default=None, repr=False)
    # What else the page's bytes depend on beyond its own fields and ``context`` (the
    # labels of the models it names, the inputs of ``late``), for its fingerprint: a
    # rebuild skips rendering a page whose fingerprint and file are unchanged. None (the
    # default) marks a page that is always rendered: the few site-wide pages, whose
    # inputs are everything.
    inputs: Any = field(default=None, repr=False)

    def full_context(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """The template context and the JSON-LD blocks, the late part included."""
        if self.late is None:
            return self.context, self.jsonld
        extra = self.late()
        jsonld = extra.pop("jsonld", self.jsonld)
        return {**self.context, **extra}, jsonld

    @property
    def file(self) -> str:
        """The file this page is written to, relative to the output folder."""
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path

    @property
    def depth(self) -> int:
        """Folders between the root and this page (relative links climb this many)."""
        return self.file.count("/")

    @property
    def canonical(self) -> str:
        return self.redirect if self.redirect is not None else self.path

    @property
    def indexable(self) -> bool:
        return self.robots == INDEX and self.redirect is None
