"""The site's fixed pages: methodology, the Model Grader, downloads and the 404 page."""

from __future__ import annotations

import itertools
import math
from typing import Any

from routr_cli.site.formatting import day, markdown_html
from routr_cli.site.page import Page
from routr_cli.site.plan import ALL, HOME, LANGUAGE_PREFIX, SiteFacts

GRADER_DATA = "grader/model.json"


def separability(facts: SiteFacts) -> list[tuple[str, int, int]]:
    """Per slice: (category, pairs whose 95% intervals do not overlap, pairs).

    A count over the standings' intervals, not a new estimate: it tells how much the
    data can tell models apart in each category.
    """
    found = []
    for category in [ALL, *facts.categories]:
        ranked = [
            s
            for s in facts.board(category)
            if s.pass_rate is not None and s.ci_low is not None and s.ci_high is not None
        ]
        pairs = list(itertools.combinations(ranked, 2))
        apart = sum(1 for x, y in pairs if x.ci_high < y.ci_low or y.ci_high < x.ci_low)
        found.append((category, apart, len(pairs)))
    return found


def methodology_page(facts: SiteFacts) -> Page:
    text = facts.data.methodology_markdown
    return Page(
        path="methodology/",
        template="methodology.html.j2",
        title=f"Methodology: how {facts.options.title} grades and ranks coding models",
        description=(
            "How tasks are graded in a locked-down sandbox, how answers are validated, the "
            "threat model, the statistics with their formulas, and how separable the data is."
        ),
        trail=[HOME, ("Methodology", "methodology/")],
        lastmod=facts.newest,
        group="pages",
        robots=facts.robots(),
        context={
            "body": markdown_html(text) if text else None,
            "separability": separability(facts),
            "data_version": facts.data.data_version,
            "data_as_of": day(facts.newest),
        },
    )


def grader_page(facts: SiteFacts) -> Page:
    return Page(
        path="grader/",
        template="grader.html.j2",
        title=f"Model Grader: which coding model for your task? ({facts.options.title})",
        description=(
            "Describe a coding task and see the three models that do best on similar tasks, "
            "with their pass rates, intervals and the reasons, from the same classifier and "
            "scores as routr recommend."
        ),
        trail=[HOME, ("Model Grader", "grader/")],
        lastmod=facts.newest,
        group="pages",
        robots=facts.robots(),
        context={
            "categories": facts.categories,
            "has_classifier": facts.data.classifier is not None,
            "data_path": GRADER_DATA,
        },
    )


def downloads_page(facts: SiteFacts) -> Page:
    return Page(
        path="downloads/",
        template="downloads.html.j2",
        title=f"Download the data: attempts, leaderboards, comparisons ({facts.options.title})",
        description=(
            "Every recorded attempt, the leaderboards, the pairwise comparisons and the "
            "task list, as CSV, Parquet and JSON."
        ),
        trail=[HOME, ("Downloads", "downloads/")],
        lastmod=facts.newest,
        group="pages",
        robots=facts.robots(),
        context={"downloads": list(facts.data.downloads)},
    )


def not_found_page(facts: SiteFacts) -> Page:
    """404.html: served for any missing path, so its links are absolute (``root_url``)."""
    return Page(
        path="404.html",
        template="404.html.j2",
        title=f"Page not found ({facts.options.title})",
        description="This page does not exist. The leaderboard and comparisons are linked here.",
        trail=[HOME],
        group=None,
        robots="noindex,follow",
        context={"absolute": True},
    )


def _plain(value: Any) -> Any:
    """JSON-safe: NaN (no JSON form) becomes null; nested containers are walked."""
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _has_nan(values: Any) -> bool:
    """Whether an array holds a NaN (walking half a million floats in Python for none
    costs half a second at scale)."""
    import numpy as np

    return bool(np.isnan(np.asarray(values, dtype="float64")).any())


def grader_draws(board: Any) -> dict[str, dict[str, Any]]:
    """The leaderboard's bootstrap draws per solver and slice, one column per model.

    ``recommend`` turns these into a pick's interval and P(top-3); the browser needs the
    very same numbers to give the same answer. A language slice's draws are never mixed
    into a score (``recommend`` only asks whether the slice exists, and shows its row), so
    it goes without columns: a quarter of the file at 40 models, 8 categories and 3
    languages.
    """
    out: dict[str, dict[str, Any]] = {}
    for (category, solver), (names, draws) in sorted(getattr(board, "draws", {}).items()):
        columns: list[Any] = []
        if not str(category).startswith(LANGUAGE_PREFIX):
            columns = _plain(draws.T.tolist()) if _has_nan(draws) else draws.T.tolist()
        out.setdefault(str(solver), {})[str(category)] = {
            "models": [str(n) for n in names],
            "columns": columns,
        }
    return out


def grader_data(facts: SiteFacts) -> dict[str, Any] | None:
    """The JSON the grader's script loads: the classifier, the standings and their draws
    (what ``recommend`` reads), and each model's label and page slug."""
    if facts.data.classifier is None:
        return None
    from routr_cli.ranking.slices import SIGNIFICANCE  # "tied with #1" uses the same bar

    return {
        "significance": SIGNIFICANCE,
        "classifier": _plain(facts.data.classifier),
        "standings": _plain([s.as_json() for s in facts.rows]),
        "draws": grader_draws(facts.data.leaderboard),
        "labels": facts.labels,
        "slugs": facts.slugs,
    }
