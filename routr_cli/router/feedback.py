"""Bench evidence as the prior, call outcomes (`routr feedback`) as evidence: a Beta update.

For a model in a category slice with bench pass rate ``p`` over ``n`` tasks, the prior is
``Beta(p * n0, (1 - p) * n0)`` with ``n0 = max(n, PRIOR_FLOOR)``; ``passes`` and ``fails``
from feedback add to the two parameters, so the estimate becomes
``(p * n0 + passes) / (n0 + passes + fails)``. Why the floor: ``n0 >= PRIOR_FLOOR``
pseudo-observations mean a single outcome moves the estimate by at most
``1 / (PRIOR_FLOOR + 1)`` (under 5 points), so one thumbs-down cannot flip a choice the
bench supports -- it takes a pattern; and the denominator is never zero, whatever the
bench rate (0 and 1 included) or the number of tasks behind it.

The adjusted interval is the bench interval moved by the change in the mean and narrowed
by ``sqrt(prior strength / posterior strength)``: the bench's own uncertainty keeps its
shape, and evidence tightens it. Tie groups are revisited only for models that received
feedback: one whose interval no longer reaches the best's leaves the best's group; one
whose interval now reaches it joins. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping

from routr_cli.router.policy import RouteStat, RoutingTable

PRIOR_FLOOR = 20


def posterior(stat: RouteStat, passes: int, fails: int) -> RouteStat:
    """``stat`` updated with ``passes`` and ``fails`` (unchanged when both are 0)."""
    if passes < 0 or fails < 0:
        raise ValueError("feedback counts cannot be negative")
    if passes == 0 and fails == 0:
        return stat
    strength = max(stat.n_tasks, PRIOR_FLOOR)
    alpha = stat.pass_rate * strength
    beta = (1.0 - stat.pass_rate) * strength
    prior_mean = stat.pass_rate
    post_alpha, post_beta = alpha + passes, beta + fails
    mean = post_alpha / (post_alpha + post_beta)
    shrink = math.sqrt((alpha + beta) / (post_alpha + post_beta))
    low = mean - (prior_mean - stat.ci_low) * shrink
    high = mean + (stat.ci_high - prior_mean) * shrink
    return dataclasses.replace(
        stat,
        pass_rate=mean,
        ci_low=max(0.0, min(low, mean)),
        ci_high=min(1.0, max(high, mean)),
        feedback=(passes, fails),
    )


def _retie(stats: list[RouteStat], touched: set[str]) -> tuple[RouteStat, ...]:
    stats.sort(key=lambda s: -s.pass_rate)
    best = stats[0]
    fresh = max(s.tie_group for s in stats) + 1
    out = []
    for stat in stats:
        if stat.model in touched and stat is not best:
            reaches = stat.ci_high >= best.ci_low
            if reaches and stat.tie_group != best.tie_group:
                stat = dataclasses.replace(stat, tie_group=best.tie_group)
            elif not reaches and stat.tie_group == best.tie_group:
                stat = dataclasses.replace(stat, tie_group=fresh)
                fresh += 1
        out.append(stat)
    return tuple(out)


def with_feedback(
    table: RoutingTable, counts: Mapping[tuple[str, str], tuple[int, int]]
) -> RoutingTable:
    """The table with every (model, category) that has feedback updated."""
    if not counts:
        return table
    slices: dict[str, tuple[RouteStat, ...]] = {}
    for category, stats in table.slices.items():
        touched = {s.model for s in stats if (s.model, category) in counts}
        if not touched:
            slices[category] = stats
            continue
        updated = [posterior(s, *counts.get((s.model, category), (0, 0))) for s in stats]
        slices[category] = _retie(updated, touched)
    return dataclasses.replace(table, slices=slices)
