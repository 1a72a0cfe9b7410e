"""Pair pages, the core of the site: ``/compare/{a}-vs-{b}/`` and ``.../{category}/``.

Each shows a stored ``compare --all`` result in canonical order (``a`` the alphabetically
first slug) with the task-level evidence: the tasks only A solved, only B, both,
neither, each linked to its task page. The reverse order gets a small page with
``rel=canonical`` and a meta refresh to the canonical one. Thin pairs (too few shared
tasks, or nothing that differentiates them) are ``noindex,follow`` and stay out of the
sitemap.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from routr_cli.site import charts
from routr_cli.site.formatting import interval, pct, points, pvalue, ratio
from routr_cli.site.fragments import TaskLinks
from routr_cli.site.page import Page
from routr_cli.site.pairs import PairView, pair_view
from routr_cli.site.plan import ALL, HOME, SiteFacts
from routr_cli.text import plural

REDIRECT_TEMPLATE = "redirect.html.j2"


def _chart(facts: SiteFacts, view: PairView, chart_id: str) -> Any:
    rows = [
        charts.IntervalRow(facts.labels[view.a], view.pass_a, view.ci_a_low, view.ci_a_high),
        charts.IntervalRow(facts.labels[view.b], view.pass_b, view.ci_b_low, view.ci_b_high),
    ]
    return charts.interval_chart(
        rows,
        title=f"Pass rates of {facts.labels[view.a]} and {facts.labels[view.b]}",
        desc=(
            f"Both models' pass rates on their {view.n_shared} shared tasks, with 95% "
            "intervals; the table beside it gives the numbers and the paired difference."
        ),
        chart_id=chart_id,
    )


def _what(category: str) -> str:
    return "coding" if category == ALL else category


def pair_pages(facts: SiteFacts) -> list[Page]:
    links = facts.task_links
    known = set(facts.models)
    slices: dict[tuple[str, str], dict[str, PairView]] = defaultdict(dict)
    for comparison in facts.data.comparisons:
        if comparison.a not in known or comparison.b not in known:
            continue
        if comparison.solver not in (None, facts.primary_solver):
            continue  # solvers are never pooled; pair pages show the default solver
        a, b = facts.canonical_order(comparison.a, comparison.b)
        slices[(a, b)][comparison.category] = pair_view(comparison, a)
    pages: list[Page] = []
    for _pair, views in sorted(slices.items()):
        categories = sorted(c for c in views if c != ALL)
        for category in ([ALL] if ALL in views else []) + categories:
            view = views[category]
            page = _pair_page(facts, view, links, categories if category == ALL else [])
            pages.append(page)
            pages.append(_reverse_page(facts, view, page))
    return pages


def _pair_page(facts: SiteFacts, view: PairView, links: TaskLinks, categories: list[str]) -> Page:
    a, b, category = view.a, view.b, view.category
    path = facts.pair_path(a, b, category)
    la, lb = facts.labels[a], facts.labels[b]
    what = _what(category)
    thin = view.thin(facts.options.min_shared_tasks)
    title = f"{la} vs {lb} for {what} tasks: {pct(view.pass_a)} vs {pct(view.pass_b)} solved"
    description = (
        f"{view.verdict} On {plural(view.n_shared, f'shared {what} task')}: {la} {pct(view.pass_a)} "
        f"(95% CI {interval(view.ci_a_low, view.ci_a_high)}), {lb} {pct(view.pass_b)} "
        f"(95% CI {interval(view.ci_b_low, view.ci_b_high)}), difference "
        f"{points(view.diff)}, q = {pvalue(view.q_value)}, cost ratio {ratio(view.cost_ratio)}."
    )
    trail = [HOME, ("Compare", "compare/"), (f"{la} vs {lb}", facts.pair_path(a, b))]
    if category != ALL:
        trail.append((f"{category} tasks", path))
    depth = path.count("/")

    def late() -> dict[str, Any]:
        return {
            "chart": _chart(facts, view, "ci-pair"),
            "only_a": links.items(view.only_a, depth),
            "only_b": links.items(view.only_b, depth),
            "both": links.items(view.both, depth),
            "neither": links.items(view.neither, depth),
            "jsonld": [facts.dataset(path, title, description, view.newest_attempt, (a, b))],
        }

    return Page(
        path=path,
        template="pair.html.j2",
        title=title,
        description=description,
        trail=trail,
        lastmod=view.newest_attempt,
        group="compare",
        robots=facts.robots(not thin),
        og_type="article",
        inputs=facts.model_refs(a, b),  # the rest is the view, in the context
        context={
            "view": view,
            "what": what,
            "thin": thin,
            "differentiators": view.differentiators(),
            "min_shared": facts.options.min_shared_tasks,
            "slices": [(c, facts.pair_path(a, b, c)) for c in categories],
            "overall_path": facts.pair_path(a, b) if category != ALL else None,
        },
        late=late,
    )


def _reverse_page(facts: SiteFacts, view: PairView, canonical: Page) -> Page:
    la, lb = facts.labels[view.a], facts.labels[view.b]
    path = facts.pair_path(view.b, view.a, view.category)
    return Page(
        path=path,
        template=REDIRECT_TEMPLATE,
        title=f"{lb} vs {la} for {_what(view.category)} tasks",
        description=f"{lb} vs {la}: the comparison is at {la} vs {lb}.",
        trail=[*canonical.trail[:-1], (f"{lb} vs {la}", path)],
        lastmod=view.newest_attempt,
        group=None,
        robots=facts.robots(False),
        redirect=canonical.path,
        context={"target_title": canonical.title},
        inputs=(),  # its fields say it all
    )


def compare_index(facts: SiteFacts, pages: list[Page]) -> Page:
    """Every pair's overall page, so each is one link from ``/compare/``."""
    rows = [
        (p.context["view"], p.path, p.context["thin"])
        for p in pages
        if p.template == "pair.html.j2" and p.context["view"].category == ALL
    ]
    return Page(
        path="compare/",
        template="compare_index.html.j2",
        title=f"Head-to-head comparisons of {len(facts.models)} coding models",
        description=(
            f"{len(rows)} model pairs compared task by task: paired differences with "
            "intervals, wins and losses, BH-adjusted q-values, cost and latency ratios."
        ),
        trail=[HOME, ("Compare", "compare/")],
        lastmod=facts.newest,
        group="pages",
        robots=facts.robots(),
        context={"rows": rows},
    )
