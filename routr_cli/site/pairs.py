"""Pair pages' data: a stored ``Comparison`` read in the page's canonical order.

A pair has one canonical page, ``/compare/{a}-vs-{b}/``, with ``a`` the alphabetically
first slug, whichever order ``compare --all`` stored. Reading a comparison the other
way round is relabelling, not statistics: A's figures become B's, the difference and
its interval change sign, wins and losses swap, ratios invert. ``PairView`` is that
oriented reading plus the page's indexing decision.

A pair page is *thin* (``noindex,follow`` and out of the sitemap) when fewer than
``min_shared_tasks`` tasks are shared, or when nothing tells the two apart: no
significant difference (BH q < 0.05), no cost or latency gap of 1.5x or more, and no
practical equivalence (the difference's interval inside +/-5 points). Such a page still
exists for visitors who follow a link; it is just not offered to search engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SIGNIFICANCE = 0.05
GAP_RATIO = 1.5
EQUIVALENCE_MARGIN = 0.05


@dataclass(frozen=True)
class PairView:
    a: str
    b: str
    category: str
    solver: str | None
    n_shared: int
    pass_a: float | None
    ci_a_low: float | None
    ci_a_high: float | None
    pass_b: float | None
    ci_b_low: float | None
    ci_b_high: float | None
    diff: float | None
    diff_ci_low: float | None
    diff_ci_high: float | None
    wins: int
    ties: int
    losses: int
    p_value: float | None
    q_value: float | None
    test: str
    mde: float | None
    tasks_needed: int | None
    cost_ratio: float | None
    latency_ratio: float | None
    winner: str | None
    verdict: str
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    both: tuple[str, ...]
    neither: tuple[str, ...]
    simulated: bool
    newest_attempt: str | None
    tasks_listed: bool = True  # False: compare --all left the lists out (too many tasks)

    @property
    def significant(self) -> bool:
        p = self.q_value if self.q_value is not None else self.p_value
        return p is not None and p < SIGNIFICANCE

    @property
    def equivalent(self) -> bool:
        """Practically equivalent: the whole interval of the difference is within the margin."""
        low, high = self.diff_ci_low, self.diff_ci_high
        return (
            low is not None
            and high is not None
            and low > -EQUIVALENCE_MARGIN
            and high < EQUIVALENCE_MARGIN
        )

    def differentiators(self) -> list[str]:
        """What makes this pair worth a search result, in words (empty: nothing does)."""
        found: list[str] = []
        if self.significant:
            found.append("a significant difference in pass rate")
        if _gap(self.cost_ratio):
            found.append("a cost gap of 1.5x or more")
        if _gap(self.latency_ratio):
            found.append("a latency gap of 1.5x or more")
        if self.equivalent:
            found.append("practical equivalence (within 5 points)")
        return found

    def thin(self, min_shared_tasks: int) -> bool:
        return self.n_shared < min_shared_tasks or not self.differentiators()


def _gap(value: float | None) -> bool:
    return value is not None and value > 0 and (value >= GAP_RATIO or value <= 1 / GAP_RATIO)


def _inverse(value: float | None) -> float | None:
    return None if value is None or value == 0 else 1 / value


def _neg(value: float | None) -> float | None:
    return None if value is None else -value


def _ids(value: Any) -> tuple[str, ...]:
    return tuple(sorted(value or ()))


def pair_view(comparison: Any, first: str) -> PairView:
    """``comparison`` read with model ``first`` as A (it must be one of the two)."""
    c = comparison
    if first not in (c.a, c.b):
        raise ValueError(f"{first} is not in the comparison {c.a} vs {c.b}")
    flip = first != c.a
    common = {
        "category": c.category,
        "solver": c.solver,
        "n_shared": int(c.n_shared),
        "ties": int(c.ties),
        "p_value": c.p_value,
        "q_value": c.q_value,
        "test": str(c.test),
        "mde": c.mde,
        "tasks_needed": c.tasks_needed,
        "winner": c.winner,
        "verdict": str(c.verdict),
        "both": _ids(c.both),
        "neither": _ids(c.neither),
        "simulated": bool(c.simulated),
        "newest_attempt": c.newest_attempt,
        "tasks_listed": bool(getattr(c, "tasks_listed", True)),
    }
    if not flip:
        return PairView(
            a=c.a,
            b=c.b,
            pass_a=c.pass_a,
            ci_a_low=c.ci_a_low,
            ci_a_high=c.ci_a_high,
            pass_b=c.pass_b,
            ci_b_low=c.ci_b_low,
            ci_b_high=c.ci_b_high,
            diff=c.diff,
            diff_ci_low=c.diff_ci_low,
            diff_ci_high=c.diff_ci_high,
            wins=int(c.wins),
            losses=int(c.losses),
            cost_ratio=c.cost_ratio,
            latency_ratio=c.latency_ratio,
            only_a=_ids(c.only_a),
            only_b=_ids(c.only_b),
            **common,
        )
    return PairView(
        a=c.b,
        b=c.a,
        pass_a=c.pass_b,
        ci_a_low=c.ci_b_low,
        ci_a_high=c.ci_b_high,
        pass_b=c.pass_a,
        ci_b_low=c.ci_a_low,
        ci_b_high=c.ci_a_high,
        diff=_neg(c.diff),
        diff_ci_low=_neg(c.diff_ci_high),
        diff_ci_high=_neg(c.diff_ci_low),
        wins=int(c.losses),
        losses=int(c.wins),
        cost_ratio=_inverse(c.cost_ratio),
        latency_ratio=_inverse(c.latency_ratio),
        only_a=_ids(c.only_b),
        only_b=_ids(c.only_a),
        **common,
    )
