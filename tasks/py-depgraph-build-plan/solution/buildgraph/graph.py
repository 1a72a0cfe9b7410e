"""The target graph: who depends on whom."""

from __future__ import annotations

import re
from collections.abc import Iterable

from buildgraph.errors import BuildGraphError, UnknownTargetError

TARGET_NAME = re.compile(r"^[A-Za-z0-9_./-]+$")


class BuildGraph:
    """Targets and their direct dependencies, in declaration order."""

    def __init__(self) -> None:
        self._deps: dict[str, tuple[str, ...]] = {}

    def add_target(self, name: str, deps: Iterable[str] = ()) -> None:
        if not TARGET_NAME.match(name):
            raise BuildGraphError(f"invalid target name {name!r}")
        if name in self._deps:
            raise BuildGraphError(f"target {name!r} declared twice")
        unique: list[str] = []
        for dep in deps:
            if dep == name:
                raise BuildGraphError(f"target {name!r} depends on itself")
            if dep not in unique:
                unique.append(dep)
        self._deps[name] = tuple(unique)

    def __contains__(self, name: object) -> bool:
        return name in self._deps

    def __len__(self) -> int:
        return len(self._deps)

    def targets(self) -> list[str]:
        return sorted(self._deps)

    def direct_deps(self, name: str) -> tuple[str, ...]:
        try:
            return self._deps[name]
        except KeyError:
            raise UnknownTargetError(f"unknown target {name!r}") from None

    def validate(self) -> None:
        """Every dependency must be a declared target."""
        for name, deps in self._deps.items():
            for dep in deps:
                if dep not in self._deps:
                    raise UnknownTargetError(f"{name!r} depends on unknown target {dep!r}")

    def dependencies_of(self, name: str) -> set[str]:
        """Every target `name` needs, directly or transitively.

        Iterative and visiting each target once: shared sub-graphs (diamonds) would
        make a naive recursion exponential, and deep chains would overflow the stack.
        """
        return self._reachable(self.direct_deps(name))

    def _reachable(self, start: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(start)
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(dep for dep in self.direct_deps(node) if dep not in seen)
        return seen

    def dependents_of(self, name: str) -> set[str]:
        """Every target that needs `name`: what must be rebuilt when it changes."""
        self.direct_deps(name)  # raises for unknown targets
        users: dict[str, list[str]] = {}
        for target, deps in self._deps.items():
            for dep in deps:
                users.setdefault(dep, []).append(target)
        seen: set[str] = set()
        stack = list(users.get(name, ()))
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(user for user in users.get(node, ()) if user not in seen)
        return seen

    def closure(self, goals: Iterable[str]) -> set[str]:
        """The goals plus everything they need."""
        goals = list(goals)
        for goal in goals:
            self.direct_deps(goal)
        return self._reachable(goals)
