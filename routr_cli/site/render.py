"""Render planned pages with the Jinja2 templates in ``templates/`` (autoescaped)."""

from __future__ import annotations

from typing import Any

from routr_cli.site import formatting, seo
from routr_cli.site.page import Page
from routr_cli.site.plan import ALL, SiteFacts

FILTERS = {
    "pct": formatting.pct,
    "interval": formatting.interval,
    "points": formatting.points,
    "points_interval": formatting.points_interval,
    "money": formatting.money,
    "money_interval": formatting.money_interval,
    "seconds": formatting.seconds,
    "ratio": formatting.ratio,
    "pvalue": formatting.pvalue,
    "day": formatting.day,
    "slugify": formatting.slugify,
}


def environment() -> Any:
    """The template environment: package templates, autoescape on, whitespace trimmed."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("routr_cli.site", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.globals["ALL"] = ALL
    return env


class Renderer:
    """Renders pages of one build; templates are compiled once and reused."""

    def __init__(self, facts: SiteFacts) -> None:
        self.facts = facts
        self.env = environment()
        self._templates: dict[str, Any] = {}
        self.site = {
            "title": facts.options.title,
            "root_url": facts.options.root_url,
            "simulated": facts.simulated,
            "categories": facts.categories,
            "languages": facts.languages,
            "data_as_of": formatting.day(facts.newest),
            "labels": facts.labels,
            "slugs": facts.slugs,
        }

    def template(self, name: str) -> Any:
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.env.get_template(name)
        return found

    def render(self, page: Page) -> bytes:
        root_url = self.facts.options.root_url
        absolute = bool(page.context.get("absolute"))
        root = root_url if absolute else "../" * page.depth
        jsonld = [*page.jsonld, seo.breadcrumbs(page.trail, root_url)]
        html = self.template(page.template).render(
            page=page,
            site=self.site,
            root=root,
            canonical_url=root_url + page.canonical,
            jsonld=[seo.script_json(block) for block in jsonld],
            **page.context,
        )
        return str(html).encode()
