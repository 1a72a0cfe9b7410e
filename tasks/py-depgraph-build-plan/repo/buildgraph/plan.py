"""Parallel build plan: batches of targets that can build at the same time."""

from __future__ import annotations

from collections.abc import Iterable

from buildgraph.order import build_order
from buildgraph.graph import BuildGraph


def chain_length(graph: BuildGraph, target: str) -> int:
    """Length of the longest dependency chain below `target` (0 without deps)."""
    deps = graph.direct_deps(target)
    if not deps:
        return 0
    return 1 + max(chain_length(graph, dep) for dep in deps)


def plan_batches(graph: BuildGraph, goals: Iterable[str] | None = None) -> list[list[str]]:
    """Batch n holds the targets whose longest dependency chain has length n."""
    needed = build_order(graph, goals)  # also checks for cycles and unknown targets
    batches: dict[int, list[str]] = {}
    for target in needed:
        batches.setdefault(chain_length(graph, target), []).append(target)
    return [sorted(batches[level]) for level in sorted(batches)]
