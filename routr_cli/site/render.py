"""Render planned pages with the Jinja2 templates in ``templates/`` (autoescaped)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from routr_cli.site import formatting, fragments, seo
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
        auto_reload=False,  # templates do not change during a build: no stat per render
    )
    env.filters.update(FILTERS)
    env.globals["ALL"] = ALL
    env.globals["outcome_rows"] = fragments.outcome_rows
    return env


class Renderer:
    """Renders pages of one build; templates are compiled once and reused."""

    def __init__(self, facts: SiteFacts) -> None:
        self.facts = facts
        self.env = environment()
        self._templates: dict[str, Any] = {}
        self._model_links: dict[str, dict[str, Any]] = {}
        self._chrome: dict[tuple[str, str | None], tuple[Any, Any]] = {}
        self.data_as_of = formatting.day(facts.newest)
        self.site = {
            "title": facts.options.title,
            "root_url": facts.options.root_url,
            "simulated": facts.simulated,
            "categories": facts.categories,
            "languages": facts.languages,
            "data_as_of": self.data_as_of,
            "labels": facts.labels,
            "slugs": facts.slugs,
        }

    def compile_all(self) -> None:
        """Compile every template now: done before the render workers fork, each inherits
        them compiled instead of compiling them again."""
        for name in self.env.list_templates(extensions=["j2"]):
            self.template(name)

    def template(self, name: str) -> Any:
        found = self._templates.get(name)
        if found is None:
            found = self._templates[name] = self.env.get_template(name)
        return found

    def model_links(self, root: str) -> dict[str, Any]:
        """Model -> its linked, labelled name for pages at this ``root`` (built once)."""
        from markupsafe import Markup, escape

        links = self._model_links.get(root)
        if links is None:
            links = self._model_links[root] = {
                model: Markup(
                    f'<a href="{escape(root)}models/{escape(slug)}/">'
                    f"{escape(self.facts.labels[model])}</a>"
                )
                for model, slug in self.facts.slugs.items()
            }
        return links

    def chrome(self, root: str, as_of: str | None) -> tuple[Any, Any]:
        """The banner, header and footer for pages at this ``root`` whose data is as of
        that day: shared by thousands of pages, so rendered once."""
        found = self._chrome.get((root, as_of))
        if found is None:
            values = {"site": self.site, "root": root, "as_of": as_of}
            found = self._chrome[(root, as_of)] = (
                Markup(self.template("chrome_top.html.j2").render(values)),
                Markup(self.template("chrome_bottom.html.j2").render(values)),
            )
        return found

    def render(self, page: Page) -> bytes:
        root_url = self.facts.options.root_url
        absolute = bool(page.context.get("absolute"))
        root = root_url if absolute else "../" * page.depth
        context, blocks = page.full_context()
        as_of = formatting.day(page.lastmod) or self.data_as_of
        chrome_top, chrome_bottom = self.chrome(root, as_of)
        jsonld = [*blocks, seo.breadcrumbs(page.trail, root_url)]
        html = self.template(page.template).render(
            page=page,
            site=self.site,
            root=root,
            mlink=self.model_links(root),
            chrome_top=chrome_top,
            chrome_bottom=chrome_bottom,
            canonical_url=root_url + page.canonical,
            jsonld=[seo.script_json(block) for block in jsonld],
            **context,
        )
        return str(html).encode()
