"""A single-threaded build order."""

from __future__ import annotations

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

    Among the targets ready at each step the alphabetically smallest comes first.
    """
    needed = _needed(graph, goals)
    done: set[str] = set()
    order: list[str] = []
    while len(done) < len(needed):
        ready = sorted(
            target
            for target in needed
            if target not in done and all(dep in done for dep in graph.direct_deps(target))
        )
        if not ready:
            raise CycleError(find_cycle(graph, needed - done))
        order.append(ready[0])
        done.add(ready[0])
    return order
