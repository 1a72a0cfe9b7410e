"""Find a dependency cycle to show the user."""

from __future__ import annotations

from collections.abc import Iterable

from buildgraph.graph import BuildGraph


def find_cycle(graph: BuildGraph, among: Iterable[str]) -> list[str]:
    """A cycle within `among`, as [a, b, ..., a]; empty if there is none.

    Starts from the alphabetically smallest target so the reported cycle is stable.
    """
    candidates = set(among)
    for start in sorted(candidates):
        stack: list[tuple[str, int]] = [(start, 0)]
        path = [start]
        on_path = {start}
        visited: set[str] = set()
        while stack:
            node, index = stack[-1]
            deps = [d for d in graph.direct_deps(node) if d in candidates]
            if index < len(deps):
                stack[-1] = (node, index + 1)
                dep = deps[index]
                if dep in on_path:
                    return path[path.index(dep) :] + [dep]
                if dep not in visited:
                    stack.append((dep, 0))
                    path.append(dep)
                    on_path.add(dep)
            else:
                stack.pop()
                path.pop()
                on_path.discard(node)
                visited.add(node)
    return []
