"""The JSON rule syntax: specs (parsed JSON) -> conditions, rules and rule sets."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from rules.conditions import All, Always, Any_, Compare, Condition, Not, is_operator, operator_names
from rules.errors import RuleSyntaxError
from rules.ruleset import Rule, RuleSet

__all__ = ["RuleSyntaxError", "load_rules", "load_rules_file", "parse_condition", "parse_rule"]


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
        if not is_operator(spec["op"]):
            raise RuleSyntaxError(f"{where}.op: unknown operator {spec['op']!r} (known: {', '.join(operator_names())})")
        if spec["op"] == "matches":
            try:
                re.compile(spec["value"])
            except (re.error, TypeError) as exc:
                raise RuleSyntaxError(f"{where}.value: bad regular expression: {exc}") from None
        return Compare(spec["fact"], spec["op"], spec["value"])
    raise RuleSyntaxError(f"{where}: unrecognised condition keys {sorted(keys)}")


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
