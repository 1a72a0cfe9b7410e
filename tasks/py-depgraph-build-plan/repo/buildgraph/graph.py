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
        """Every target `name` needs, directly or transitively."""
        result: set[str] = set()
        for dep in self.direct_deps(name):
            result.add(dep)
            result |= self.dependencies_of(dep)
        return result

    def dependents_of(self, name: str) -> set[str]:
        """Every target that needs `name`: what must be rebuilt when it changes."""
        self.direct_deps(name)  # raises for unknown targets
        return {target for target in self._deps if name in self.dependencies_of(target)}

    def closure(self, goals: Iterable[str]) -> set[str]:
        """The goals plus everything they need."""
        needed: set[str] = set()
        for goal in goals:
            needed.add(goal)
            needed |= self.dependencies_of(goal)
        return needed
