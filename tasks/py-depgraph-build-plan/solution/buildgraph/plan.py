"""Parallel build plan: batches of targets that can build at the same time."""

from __future__ import annotations

from collections.abc import Iterable

from buildgraph.order import build_order
from buildgraph.graph import BuildGraph


def plan_batches(graph: BuildGraph, goals: Iterable[str] | None = None) -> list[list[str]]:
    """Batch n holds the targets whose longest dependency chain has length n.

    Chain lengths are computed once per target, in build order, so every target's
    dependencies are already measured when it is reached.
    """
    order = build_order(graph, goals)  # also checks for cycles and unknown targets
    level: dict[str, int] = {}
    batches: dict[int, list[str]] = {}
    for target in order:
        deps = graph.direct_deps(target)
        level[target] = 1 + max(level[dep] for dep in deps) if deps else 0
        batches.setdefault(level[target], []).append(target)
    return [sorted(batches[n]) for n in sorted(batches)]
