"""How numbers, names and URLs are written on the site: one place for each convention.

Every figure a visitor reads goes through here, so a rate never appears without the
way it is rounded, a missing value is always an en dash (never 0), and a simulated
model always carries "(simulated)" (through the catalog's ``display_name``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from markupsafe import Markup

from routr_cli.providers.sim.catalog import display_name

MISSING = "–"
_SLUG_JUNK = re.compile(r"[^a-z0-9.]+")


def pct(value: float | None, digits: int = 0) -> str:
    """A share as a percentage (``0.523 -> "52%"``); ``None`` is the missing mark."""
    if value is None:
        return MISSING
    return f"{value * 100:.{digits}f}%"


def interval(low: float | None, high: float | None) -> str:
    """A rate interval as ``"45–60%"``; missing when either bound is unknown."""
    if low is None or high is None:
        return MISSING
    return f"{low * 100:.0f}–{high * 100:.0f}%"


def points(value: float | None) -> str:
    """A difference of two rates in percentage points, signed (``+12.5 pp``)."""
    if value is None:
        return MISSING
    return f"{value * 100:+.1f} pp"


def points_interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return MISSING
    return f"{low * 100:+.1f} to {high * 100:+.1f} pp"


def money(value: float | None) -> str:
    """Dollars with enough digits to tell cheap models apart (``$0.0123``, ``$1.25``)."""
    if value is None:
        return MISSING
    if value == 0:
        return "$0"
    if value < 0.01:
        return f"${value:.4f}"
    if value < 1:
        return f"${value:.3f}"
    return f"${value:,.2f}"


def money_interval(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return MISSING
    return f"{money(low)}–{money(high)}"


def seconds(value: float | None) -> str:
    if value is None:
        return MISSING
    return f"{value:.1f} s" if value < 100 else f"{value:,.0f} s"


def ratio(value: float | None) -> str:
    """A ratio A/B as ``"1.8×"``; missing when unknown."""
    if value is None:
        return MISSING
    return f"{value:.2f}×" if value < 10 else f"{value:,.0f}×"


def pvalue(value: float | None) -> str:
    if value is None:
        return MISSING
    if value < 0.001:
        return "< 0.001"
    return f"{value:.3f}"


def label(model: str, simulated: bool) -> str:
    """A model's name as shown to people: simulated ones say so, everywhere."""
    return display_name(model, simulated)


def day(iso: str | None) -> str | None:
    """The date part of an ISO timestamp (sitemaps and "data as of" want the day)."""
    return iso[:10] if iso else None


def newest(values: Iterable[str | None]) -> str | None:
    """The latest of some ISO timestamps (they sort as text), ignoring unknowns."""
    known = [v for v in values if v]
    return max(known) if known else None


def slugify(text: str) -> str:
    """A URL segment: lowercase, runs of anything but ``[a-z0-9.]`` become ``-``."""
    slug = _SLUG_JUNK.sub("-", text.lower()).strip("-.")
    return slug or "x"


def model_slugs(models: Iterable[str]) -> dict[str, str]:
    """A distinct URL slug per model name, stable for a given set of names.

    ``openai/gpt-4.1`` becomes ``openai-gpt-4.1``. Two names that slugify alike
    (``a/b-c`` and ``a-b/c``) both get a short hash of the full name appended, so
    neither page depends on which model was seen first.
    """
    names = sorted(set(models))
    base = {name: slugify(name) for name in names}
    counts: dict[str, int] = {}
    for slug in base.values():
        counts[slug] = counts.get(slug, 0) + 1
    slugs: dict[str, str] = {}
    for name, slug in base.items():
        if counts[slug] > 1:
            slug = f"{slug}-{hashlib.sha256(name.encode()).hexdigest()[:6]}"
        slugs[name] = slug
    return slugs


@cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def markdown_html(text: str, top: int = 3) -> Markup:
    """Markdown as HTML with raw HTML disabled (task prompts come from anywhere).

    markdown-it escapes inline HTML when ``html`` is off and refuses ``javascript:``
    links, so a hostile prompt renders as text. Headings are renumbered to start at
    ``top`` with no gaps, so an embedded document keeps the page's heading order.
    """
    md = _markdown()
    tokens = md.parse(text)
    levels = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    renumber = {f"h{level}": f"h{min(top + i, 6)}" for i, level in enumerate(levels)}
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = renumber[token.tag]
        if token.type == "inline" and token.children:
            token.children = _without_relative_links(token.children)
    return Markup(md.renderer.render(tokens, md.options, {}))


def _without_relative_links(children: list[Any]) -> list[Any]:
    """Links to files beside a document (``static-scan.md``, ``../routr_cli/x.py``) lead
    nowhere on the site: their text stays, the link goes. Web and in-page links stay."""
    kept: list[Any] = []
    dropping: list[bool] = []
    for child in children:
        if child.type == "link_open":
            href = str(child.attrGet("href") or "")
            drop = not href.startswith(("http://", "https://", "#", "mailto:"))
            dropping.append(drop)
            if drop:
                continue
        elif child.type == "link_close" and dropping and dropping.pop():
            continue
        kept.append(child)
    return kept
