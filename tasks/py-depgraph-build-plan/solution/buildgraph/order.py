"""A single-threaded build order."""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from buildgraph.cycles import find_cycle
from buildgraph.errors import CycleError
from buildgraph.graph import BuildGraph


def _needed(graph: BuildGraph, goals: Iterable[str] | None) -> set[str]:
    graph.validate()
    if goals is None:
        return set(graph.targets())
    return graph.closure(goals)


def build_order(graph: BuildGraph, goals: Iterable[str] | None = None) -> list[str]:
    """Targets needed for `goals` (default: all), each after its dependencies.

    Among the targets ready at each step the alphabetically smallest comes first
    (Kahn's algorithm with a heap: O((V + E) log V)).
    """
    needed = _needed(graph, goals)
    missing: dict[str, int] = {}
    users: dict[str, list[str]] = {}
    for target in needed:
        deps = graph.direct_deps(target)
        missing[target] = len(deps)
        for dep in deps:
            users.setdefault(dep, []).append(target)
    ready = [target for target, count in missing.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        target = heapq.heappop(ready)
        order.append(target)
        for user in users.get(target, ()):
            missing[user] -= 1
            if missing[user] == 0:
                heapq.heappush(ready, user)
    if len(order) < len(needed):
        raise CycleError(find_cycle(graph, needed - set(order)))
    return order
