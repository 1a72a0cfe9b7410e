"""Compatibility module: the engine now lives in rules.conditions, rules.parser and
rules.ruleset. Existing `from rules.engine import ...` imports keep working and get
the very same objects.
"""

from rules.conditions import (
    All,
    Always,
    Any_,
    Compare,
    Condition,
    Not,
    lookup_fact,
    operator_names,
    register_operator,
)
from rules.parser import RuleSyntaxError, load_rules, load_rules_file, parse_condition, parse_rule
from rules.ruleset import Decision, Rule, RuleSet

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
    "operator_names",
    "parse_condition",
    "parse_rule",
    "register_operator",
]
