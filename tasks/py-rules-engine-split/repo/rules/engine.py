"""The rule engine: conditions, the JSON rule syntax, and rule sets.

Everything is in this one module for now.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "All",
    "Always",
    "Any_",
    "Compare",
    "Condition",
    "Decision",
    "Not",
    "Rule",
    "RuleSet",
    "RuleSyntaxError",
    "load_rules",
    "load_rules_file",
    "lookup_fact",
    "parse_condition",
    "parse_rule",
    "register_operator",
]

_MISSING = object()


# --------------------------------------------------------------------------- facts


def lookup_fact(facts: Mapping[str, Any], path: str) -> Any:
    """Follow a dotted path through nested mappings; a missing fact is _MISSING."""
    current: Any = facts
    for part in path.split("."):
        if not isinstance(current, Mapping) or part not in current:
            return _MISSING
        current = current[part]
    return current


# ---------------------------------------------------------------------- operators

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


# --------------------------------------------------------------------- conditions


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


# ------------------------------------------------------------------------ parsing


class RuleSyntaxError(ValueError):
    """A rule or condition that does not follow the documented syntax."""


def parse_condition(spec: Any, where: str = "when") -> Condition:
    if not isinstance(spec, Mapping):
        raise RuleSyntaxError(f"{where}: a condition must be an object, got {type(spec).__name__}")
    keys = set(spec)
    if keys == {"always"}:
        if spec["always"] is not True:
            raise RuleSyntaxError(f"{where}: 'always' must be true")
        return Always()
    if keys in ({"all"}, {"any"}):
        (kind,) = keys
        items = spec[kind]
        if not isinstance(items, list) or not items:
            raise RuleSyntaxError(f"{where}.{kind}: expected a non-empty list")
        parts = tuple(parse_condition(item, f"{where}.{kind}[{i}]") for i, item in enumerate(items))
        return All(parts) if kind == "all" else Any_(parts)
    if keys == {"not"}:
        return Not(parse_condition(spec["not"], f"{where}.not"))
    if keys == {"fact", "op", "value"}:
        if not isinstance(spec["fact"], str) or not spec["fact"]:
            raise RuleSyntaxError(f"{where}.fact: expected a dotted path")
        if spec["op"] not in _OPERATORS:
            raise RuleSyntaxError(f"{where}.op: unknown operator {spec['op']!r} (known: {', '.join(operator_names())})")
        if spec["op"] == "matches":
            try:
                re.compile(spec["value"])
            except (re.error, TypeError) as exc:
                raise RuleSyntaxError(f"{where}.value: bad regular expression: {exc}") from None
        return Compare(spec["fact"], spec["op"], spec["value"])
    raise RuleSyntaxError(f"{where}: unrecognised condition keys {sorted(keys)}")


# ---------------------------------------------------------------------- rule sets


@dataclass(frozen=True)
class Rule:
    name: str
    when: Condition
    action: str
    priority: int = 0
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    rule: str
    action: str
    params: dict[str, Any]


def parse_rule(spec: Any, index: int = 0) -> Rule:
    where = f"rules[{index}]"
    if not isinstance(spec, Mapping):
        raise RuleSyntaxError(f"{where}: a rule must be an object")
    unknown = set(spec) - {"name", "when", "action", "priority", "params"}
    if unknown:
        raise RuleSyntaxError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("name", "when", "action"):
        if key not in spec:
            raise RuleSyntaxError(f"{where}: missing {key!r}")
    priority = spec.get("priority", 0)
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise RuleSyntaxError(f"{where}.priority: expected an integer")
    params = spec.get("params", {})
    if not isinstance(params, Mapping):
        raise RuleSyntaxError(f"{where}.params: expected an object")
    return Rule(str(spec["name"]), parse_condition(spec["when"], f"{where}.when"), str(spec["action"]), priority, dict(params))


class RuleSet:
    """Rules ordered by descending priority, then definition order."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        indexed = list(enumerate(rules))
        names = [rule.name for _, rule in indexed]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise RuleSyntaxError(f"duplicate rule names: {', '.join(duplicates)}")
        self.rules = [rule for _, rule in sorted(indexed, key=lambda item: (-item[1].priority, item[0]))]

    def matching(self, facts: Mapping[str, Any]) -> list[Decision]:
        return [Decision(r.name, r.action, dict(r.params)) for r in self.rules if r.when.evaluate(facts)]

    def decide(self, facts: Mapping[str, Any]) -> Decision | None:
        for rule in self.rules:
            if rule.when.evaluate(facts):
                return Decision(rule.name, rule.action, dict(rule.params))
        return None

    def facts_used(self) -> set[str]:
        return set().union(*(rule.when.facts_used() for rule in self.rules)) if self.rules else set()


def load_rules(specs: Any) -> RuleSet:
    if not isinstance(specs, list):
        raise RuleSyntaxError("rules: expected a list of rules")
    return RuleSet(parse_rule(spec, i) for i, spec in enumerate(specs))


def load_rules_file(path: str) -> RuleSet:
    with open(path, encoding="utf-8") as handle:
        try:
            data = json.load(handle)
        except json.JSONDecodeError as exc:
            raise RuleSyntaxError(f"{path}: not valid JSON: {exc}") from None
    return load_rules(data)
