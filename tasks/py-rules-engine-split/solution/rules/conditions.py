"""Conditions over order facts, and the operator registry they use.

The registry is module state: `register_operator` here is the only one, whichever
module a caller imported it through.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "All",
    "Always",
    "Any_",
    "Compare",
    "Condition",
    "Not",
    "Operator",
    "is_operator",
    "lookup_fact",
    "operator_names",
    "register_operator",
]

_MISSING = object()


def lookup_fact(facts: Mapping[str, Any], path: str) -> Any:
    """Follow a dotted path through nested mappings; a missing fact is _MISSING."""
    current: Any = facts
    for part in path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return _MISSING
        current = current[part]
    return current


Operator = Callable[[Any, Any], bool]


def _matches(actual: Any, pattern: Any) -> bool:
    return isinstance(actual, str) and re.search(pattern, actual) is not None


_OPERATORS: dict[str, Operator] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "in": lambda a, b: a in b,
    "contains": lambda a, b: b in a,
    "matches": _matches,
}


def register_operator(name: str, fn: Operator) -> None:
    """Make `name` usable as an "op" in rules (replacing a custom one is allowed)."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise ValueError(f"invalid operator name {name!r}")
    if name in ("eq", "ne", "gt", "gte", "lt", "lte", "in", "contains", "matches"):
        raise ValueError(f"cannot redefine built-in operator {name!r}")
    _OPERATORS[name] = fn


def operator_names() -> list[str]:
    return sorted(_OPERATORS)


class Condition:
    """Something that is true or false for a set of facts."""

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        raise NotImplementedError

    def facts_used(self) -> set[str]:
        return set()


@dataclass(frozen=True)
class Compare(Condition):
    fact: str
    op: str
    value: Any

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        actual = lookup_fact(facts, self.fact)
        if actual is _MISSING:
            return False  # a rule about a fact we do not have never matches
        try:
            return bool(_OPERATORS[self.op](actual, self.value))
        except TypeError:
            return False  # e.g. comparing a string with a number

    def facts_used(self) -> set[str]:
        return {self.fact}


@dataclass(frozen=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        return all(part.evaluate(facts) for part in self.parts)

    def facts_used(self) -> set[str]:
        return set().union(*(p.facts_used() for p in self.parts))


@dataclass(frozen=True)
class Any_(Condition):
    parts: tuple[Condition, ...]

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        return any(part.evaluate(facts) for part in self.parts)

    def facts_used(self) -> set[str]:
        return set().union(*(p.facts_used() for p in self.parts))


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        return not self.part.evaluate(facts)

    def facts_used(self) -> set[str]:
        return self.part.facts_used()


@dataclass(frozen=True)
class Always(Condition):
    def evaluate(self, facts: Mapping[str, Any]) -> bool:
        return True


def is_operator(name: object) -> bool:
    return name in _OPERATORS
