"""Rules, decisions and ordered rule sets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rules.conditions import Condition
from rules.errors import RuleSyntaxError

__all__ = ["Decision", "Rule", "RuleSet"]


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
