"""Plan every page of the site from ``SiteData``: pure, deterministic, no rendering.

The planner decides each page's path, title, description (with the headline numbers),
breadcrumb, JSON-LD, ``lastmod`` (the newest attempt behind it) and whether it is
indexed; the templates only lay the context out. Pair pages live in ``plan_pairs``.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from routr_cli.site import charts, seo
from routr_cli.site.formatting import (
    day,
    interval,
    label,
    markdown_html,
    model_slugs,
    money,
    newest,
    pct,
    slugify,
)
from routr_cli.site.inputs import Outcomes, SiteData, SiteOptions
from routr_cli.site.page import HIDDEN, INDEX, Page
from routr_cli.text import plural

ALL = "all"
LANGUAGE_PREFIX = "language:"  # the ranking's language slices: "language:python"
PRIMARY_SOLVER = "edit"
HOME = ("Home", "")


def iso(value: Any) -> str | None:
    """A timestamp as text, from a datetime, a string or None (the contract allows both):
    ``YYYY-MM-DD HH:MM:SS``, the form the ranking's own stamps take, so they compare."""
    if value is None:
        return None
    return value if isinstance(value, str) else str(value)


@dataclass(frozen=True)
class SiteFacts:
    """Lookups every page planner shares, computed once per build."""

    data: SiteData
    options: SiteOptions

    @cached_property
    def rows(self) -> tuple[Any, ...]:
        return tuple(self.data.leaderboard.rows)

    @cached_property
    def models(self) -> list[str]:
        return sorted({s.model for s in self.rows})

    @cached_property
    def simulated_models(self) -> dict[str, bool]:
        flags: dict[str, bool] = defaultdict(bool)
        for s in self.rows:
            flags[s.model] = flags[s.model] or bool(s.simulated)
        return dict(flags)

    @cached_property
    def simulated(self) -> bool:
        """A site with any simulated model is labelled and kept out of search engines."""
        return any(self.simulated_models.values())

    @cached_property
    def slugs(self) -> dict[str, str]:
        return model_slugs(self.models)

    @cached_property
    def labels(self) -> dict[str, str]:
        return {m: label(m, self.simulated_models.get(m, False)) for m in self.models}

    @cached_property
    def solvers(self) -> list[str]:
        """Solvers with standings, the default ``edit`` first (never pooled together)."""
        found = {s.solver for s in self.rows}
        return sorted(found, key=lambda s: (s != PRIMARY_SOLVER, s))

    @cached_property
    def primary_solver(self) -> str:
        return self.solvers[0] if self.solvers else PRIMARY_SOLVER

    @cached_property
    def categories(self) -> list[str]:
        return list(self.data.leaderboard.categories())

    @cached_property
    def newest(self) -> str | None:
        return iso(self.data.leaderboard.newest_attempt)

    def board(self, category: str = ALL, solver: str | None = None) -> list[Any]:
        return list(self.data.leaderboard.for_category(category, solver or self.primary_solver))

    def robots(self, indexable: bool = True) -> str:
        if self.simulated:
            return HIDDEN
        return INDEX if indexable else "noindex,follow"

    def url(self, path: str) -> str:
        return self.options.root_url + path

    def model_path(self, model: str) -> str:
        return f"models/{self.slugs[model]}/"

    def pair_path(self, a: str, b: str, category: str = ALL) -> str:
        """The pair's page in this order (canonical when ``a``'s slug sorts first)."""
        base = f"compare/{self.slugs[a]}-vs-{self.slugs[b]}/"
        return base if category == ALL else f"{base}{_slug(category)}/"

    def canonical_order(self, a: str, b: str) -> tuple[str, str]:
        return (a, b) if self.slugs[a] <= self.slugs[b] else (b, a)

    @cached_property
    def results_by_model(self) -> dict[str, tuple[list[str], list[str]]]:
        """Model -> (task ids it solved at least once, task ids it attempted and never
        solved), for the primary solver, task ids sorted: one pass over the outcomes."""
        found: dict[str, tuple[list[str], list[str]]] = {}
        primary = self.primary_solver
        for task_id in sorted(self.data.outcomes):
            for o in self.data.outcomes[task_id]:
                if o.solver != primary:
                    continue
                lists = found.get(o.model)
                if lists is None:
                    lists = found[o.model] = ([], [])
                if o.solved > 0:
                    lists[0].append(task_id)
                elif o.attempts > 0:
                    lists[1].append(task_id)
        return found

    @cached_property
    def languages(self) -> list[str]:
        """Languages with a ``language:NAME`` slice in the standings."""
        slices: list[str] = getattr(self.data.leaderboard, "languages", list)()
        return [str(s)[len(LANGUAGE_PREFIX) :] for s in slices]

    def downloads(self, *kinds: str, model: str | None = None) -> list[Any]:
        """Data files of these kinds (all when none given); per-model attempt files only
        when ``model`` names theirs."""
        found = (
            self._downloads_by_model.get(model, []) if model is not None else self.data.downloads
        )
        return [d for d in found if (not kinds or d.kind in kinds) and d.model == model]

    @cached_property
    def _downloads_by_model(self) -> dict[str | None, list[Any]]:
        grouped: dict[str | None, list[Any]] = defaultdict(list)
        for d in self.data.downloads:
            grouped[d.model].append(d)
        return dict(grouped)

    @cached_property
    def rows_by_model(self) -> dict[str, list[Any]]:
        grouped: dict[str, list[Any]] = defaultdict(list)
        for s in self.rows:
            grouped[s.model].append(s)
        return dict(grouped)

    def model_refs(self, *models: str) -> tuple[Any, ...]:
        """What a page naming these models shows of them besides its context: their
        labels, page slugs and attempt files (a page's ``inputs``)."""
        return tuple(self._model_ref[m] for m in models)

    @cached_property
    def _model_ref(self) -> dict[str, Any]:
        return {
            m: (m, self.labels[m], self.slugs[m],
                [(d.path, d.title, d.media_type) for d in self.downloads("attempts", model=m)])
            for m in self.models
        }  # fmt: skip

    @cached_property
    def models_key(self) -> str:
        """Every model's label and slug, hashed: the ``inputs`` of pages that may name any
        model (a task page's outcome table, a model page's list of pairs)."""
        text = repr(sorted((m, self.labels[m], self.slugs[m]) for m in self.models))
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    @cached_property
    def task_links(self) -> Any:
        from routr_cli.site.fragments import TaskLinks

        return TaskLinks(self.data.tasks)

    @cached_property
    def _shared_downloads(self) -> list[Any]:
        return self.downloads("leaderboard", "comparisons")

    def dataset(
        self,
        page_path: str,
        name: str,
        description: str,
        lastmod: str | None,
        models: tuple[str, ...] = (),
    ) -> Any:
        files = list(self._shared_downloads)  # a copy: the cached list is shared
        for model in models:
            files += self.downloads("attempts", model=model)
        return seo.dataset(
            name=name,
            description=description,
            url=self.url(page_path),
            root_url=self.options.root_url,
            site_name=self.options.title,
            date_modified=day(lastmod),
            downloads=files,
            keywords=["LLM", "coding benchmark", "leaderboard", *self.categories],
        )


@functools.cache
def _slug(category: str) -> str:
    """``slugify``, remembered: pair paths ask for the same few thousands of times."""
    return slugify(category)


def tie_bands(standings: Sequence[Any]) -> list[bool]:
    """Alternate shading per tie group, in table order (a group shares one shade)."""
    bands: list[bool] = []
    shade, previous = False, object()
    for s in standings:
        if s.tie_group != previous:
            shade = not shade if bands else False
            previous = s.tie_group
        bands.append(shade)
    return bands


def tied(standings: Sequence[Any]) -> set[str]:
    """Models whose tie group has another member (shown with "=")."""
    sizes: dict[Any, int] = defaultdict(int)
    for s in standings:
        if s.rank is not None:
            sizes[s.tie_group] += 1
    return {s.model for s in standings if s.rank is not None and sizes[s.tie_group] > 1}


def board_chart(facts: SiteFacts, standings: Sequence[Any], what: str, chart_id: str) -> Any:
    bands = tie_bands(standings)
    rows = [
        charts.IntervalRow(
            label=facts.labels[s.model],
            value=s.pass_rate,
            low=s.ci_low if s.pass_rate is not None else None,
            high=s.ci_high if s.pass_rate is not None else None,
            band=band,
        )
        for s, band in zip(standings, bands, strict=True)
    ]
    return charts.interval_chart(
        rows,
        title=f"Pass rate with 95% intervals, {what}",
        desc=(
            "Each model's pass rate as a dot and its 95% confidence interval as a whisker, "
            "best first; shaded bands group models that are statistically tied. "
            "The table beside the chart holds the same numbers."
        ),
        chart_id=chart_id,
    )


def pareto(facts: SiteFacts, standings: Sequence[Any]) -> Any:
    points = [
        charts.ParetoPoint(
            label=facts.labels[s.model],
            cost=float(s.cost_per_solved),
            rate=float(s.pass_rate),
            frontier=not bool(s.dominated),
        )
        for s in standings
        if s.cost_per_solved and s.pass_rate is not None
    ]
    return charts.pareto_chart(
        points,
        title="Pass rate against cost per solved task",
        desc=(
            "Each model placed by its cost per solved task (log scale, right is dearer) and "
            "its pass rate (up is better). Filled dots joined by the line are the Pareto "
            "frontier: no other model is both cheaper and better. The cost table holds the "
            "same numbers."
        ),
    )


def headline(facts: SiteFacts, standings: Sequence[Any]) -> str:
    """The leader's figures in one phrase, with the interval and n (never a bare rate)."""
    ranked = [s for s in standings if s.pass_rate is not None]
    if not ranked:
        return "no graded attempts yet"
    top = ranked[0]
    text = (
        f"{facts.labels[top.model]} leads with {pct(top.pass_rate)} solved "
        f"(95% CI {interval(top.ci_low, top.ci_high)}, n={plural(top.n_tasks, 'task')})"
    )
    if top.model in tied(standings):
        text += ", statistically tied with others"
    return text


def best_values(facts: SiteFacts, standings: Sequence[Any]) -> list[Any]:
    return [s for s in standings if s.best_value]


def common_context(facts: SiteFacts) -> dict[str, Any]:
    return {
        "labels": facts.labels,
        "slugs": facts.slugs,
        "tied_models": set(),
        "data_as_of": day(facts.newest),
    }


def home_page(facts: SiteFacts) -> Page:
    standings = facts.board()
    by_solver = {solver: facts.board(ALL, solver) for solver in facts.solvers}
    n_tasks = len(facts.data.tasks)
    best_by_category = [(c, best_values(facts, facts.board(c))) for c in facts.categories]
    title = f"{facts.options.title}: {plural(len(facts.models), 'model')} ranked on {plural(n_tasks, 'coding task')}"
    description = (
        f"{headline(facts, standings)}. Pass rates with intervals, ties, cost per solved task "
        f"and head-to-head comparisons on real multi-file tasks graded by hidden tests."
    )
    description += f" Data as of {day(facts.newest)}." if facts.newest else ""
    page = Page(
        path="",
        template="home.html.j2",
        title=title,
        description=description,
        trail=[HOME],
        lastmod=facts.newest,
        group="pages",
        robots=facts.robots(),
        context={
            "boards": [
                (solver, rows, tied(rows), tie_bands(rows)) for solver, rows in by_solver.items()
            ],
            "chart": board_chart(facts, standings, "all categories", "ci-all"),
            "pareto": pareto(facts, standings),
            "costs": [s for s in standings if s.pass_rate is not None],
            "best_by_category": best_by_category,
            "categories": facts.categories,
            "languages": facts.languages,
            "n_tasks": n_tasks,
            "downloads": facts.downloads(),
        },
    )
    page.jsonld = [
        seo.website(facts.options.title, facts.options.root_url, description),
        facts.dataset("", f"{facts.options.title} leaderboard", description, facts.newest),
    ]
    return page


def _board_page(
    facts: SiteFacts,
    *,
    path: str,
    what: str,
    kind: str,
    name: str,
    boards: dict[str, list[Any]],
    n_tasks: int,
    chart_id: str,
) -> Page:
    standings = next(iter(boards.values()), [])
    lastmod = newest(s.newest_attempt for rows in boards.values() for s in rows)
    title = f"Best model for {what} tasks: {len(standings)} coding models compared"
    description = (
        f"For {what} tasks ({plural(n_tasks, 'task')}), {headline(facts, standings)}. "
        "Intervals, ties and cost per solved task for every model."
    )
    top = [s.model for s in standings if s.pass_rate is not None][:5]
    pairs = [
        (facts.canonical_order(a, b), facts.pair_path(*facts.canonical_order(a, b), kind_slice))
        for a, b in itertools.combinations(top, 2)
        for kind_slice in [name if kind == "category" else ALL]
    ]
    page = Page(
        path=path,
        template="board.html.j2",
        title=title,
        description=description,
        trail=[HOME, (f"{what.capitalize()} tasks", path)],
        lastmod=lastmod,
        group="categories" if kind == "category" else "languages",
        robots=facts.robots(bool(standings)),
        context={
            "what": what,
            "kind": kind,
            "boards": [
                (solver, rows, tied(rows), tie_bands(rows)) for solver, rows in boards.items()
            ],
            "chart": board_chart(facts, standings, f"{what} tasks", chart_id),
            "best": best_values(facts, standings),
            "n_tasks": n_tasks,
            "pairs": pairs,
            "category": name if kind == "category" else ALL,
        },
    )
    page.jsonld = [facts.dataset(path, f"Best model for {what} tasks", description, lastmod)]
    return page


def category_pages(facts: SiteFacts) -> list[Page]:
    tasks_per = _count(t.category for t in facts.data.tasks.values())
    return [
        _board_page(
            facts,
            path=f"category/{slugify(c)}/",
            what=c,
            kind="category",
            name=c,
            boards={solver: facts.board(c, solver) for solver in facts.solvers},
            n_tasks=tasks_per.get(c, 0),
            chart_id=f"ci-{slugify(c)}",
        )
        for c in facts.categories
    ]


def language_pages(facts: SiteFacts) -> list[Page]:
    tasks_per = _count(t.language for t in facts.data.tasks.values())
    pages = []
    board = facts.data.leaderboard
    for language in facts.languages:
        name = LANGUAGE_PREFIX + language
        solvers = sorted(
            {s.solver for s in board.rows if s.category == name},
            key=lambda s: (s != PRIMARY_SOLVER, s),
        )
        pages.append(
            _board_page(
                facts,
                path=f"language/{slugify(language)}/",
                what=language,
                kind="language",
                name=language,
                boards={solver: list(board.for_category(name, solver)) for solver in solvers},
                n_tasks=tasks_per.get(language, 0),
                chart_id=f"ci-{slugify(language)}",
            )
        )
    return pages


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return dict(counts)


def model_pages(facts: SiteFacts) -> list[Page]:
    pages = []
    for model in facts.models:
        path = facts.model_path(model)
        mine = facts.rows_by_model.get(model, [])
        overall = next(
            (s for s in mine if s.category == ALL and s.solver == facts.primary_solver),
            mine[0],
        )
        per_category = sorted(
            (s for s in mine if s.category != ALL and not s.category.startswith(LANGUAGE_PREFIX)),
            key=lambda s: (s.solver != facts.primary_solver, s.solver, s.category),
        )
        solved, failed = facts.results_by_model.get(model, ([], []))
        others = [m for m in facts.models if m != model]
        pairs = [(other, facts.pair_path(*facts.canonical_order(model, other))) for other in others]
        name = facts.labels[model]
        title = (
            f"{name}: {pct(overall.pass_rate)} of coding tasks solved, "
            f"{money(overall.cost_per_solved)} per solved task"
        )
        description = (
            f"{name} solves {pct(overall.pass_rate)} (95% CI "
            f"{interval(overall.ci_low, overall.ci_high)}) of {plural(overall.n_tasks, 'task')}, rank "
            f"{overall.rank if overall.rank is not None else 'unranked'} of "
            f"{len(facts.board())}; per-category standings, cost, latency and failure reasons."
        )
        last = newest(s.newest_attempt for s in mine)
        pages.append(
            Page(
                path=path,
                template="model.html.j2",
                title=title,
                description=description,
                trail=[HOME, (name, path)],
                lastmod=last,
                group="models",
                robots=facts.robots(),
                og_type="article",
                inputs=facts.models_key,
                context={
                    "model": model,
                    "overall": overall,
                    "per_category": per_category,
                    "failures": sorted(
                        (overall.failure_shares or {}).items(), key=lambda kv: (-kv[1], kv[0])
                    ),
                    "n_solved": len(solved),
                    "n_failed": len(failed),
                    "solved": facts.task_links.items(tuple(solved), 2),
                    "failed": facts.task_links.items(tuple(failed), 2),
                    "pairs": pairs,
                    "last_evaluated": day(last),
                    # Names only: the sizes are not shown here (nor written yet, when
                    # the files are written while the pages render).
                    "downloads": [
                        (d.path, d.title) for d in facts.downloads("attempts", model=model)
                    ],
                },
            )
        )
    return pages


def task_pages(facts: SiteFacts) -> list[Page]:
    pages = []
    for task_id in sorted(facts.data.tasks):
        task = facts.data.tasks[task_id]
        outcomes = sorted(
            facts.data.outcomes.get(task_id, ()),
            key=lambda o: (o.solver != facts.primary_solver, o.solver, -o.solved, o.model),
        )
        primary = [o for o in outcomes if o.solver == facts.primary_solver]
        solvers = sum(1 for o in primary if o.solved > 0)
        path = f"tasks/{task_id}/"
        title = (
            f"{task.title}: {solvers} of {plural(len(primary), 'model')} solved this "
            f"{task.language} {task.category} task"
        )
        description = (
            f"A {task.difficulty} {task.language} {task.category} task graded by hidden tests: "
            f"{solvers} of {plural(len(primary), 'model')} solved it at least once. Every model's outcome."
        )
        pages.append(
            Page(
                path=path,
                template="task.html.j2",
                title=title,
                description=description,
                trail=[HOME, ("Tasks", "tasks/"), (task.title, path)],
                lastmod=newest(o.newest_attempt for o in outcomes),
                group="tasks",
                robots=facts.robots(),
                og_type="article",
                inputs=facts.models_key,
                context={
                    "task": task,
                    "outcomes": Outcomes(outcomes),
                    "prompt_html": markdown_html(task.prompt) if task.prompt else None,
                },
            )
        )
    return pages


def tasks_index(facts: SiteFacts) -> Page:
    by_category: dict[str, list[Any]] = defaultdict(list)
    for task_id in sorted(facts.data.tasks):
        task = facts.data.tasks[task_id]
        by_category[task.category].append(task)
    n = len(facts.data.tasks)
    return Page(
        path="tasks/",
        template="tasks.html.j2",
        title=f"The {n} coding tasks behind the rankings",
        description=(
            f"All {plural(n, 'task')} by category, language and difficulty, each graded by hidden "
            "tests in a network-less sandbox, with every model's outcome."
        ),
        trail=[HOME, ("Tasks", "tasks/")],
        lastmod=facts.newest,
        group="pages",
        robots=facts.robots(),
        context={"by_category": sorted(by_category.items()), "downloads": facts.downloads("tasks")},
    )
