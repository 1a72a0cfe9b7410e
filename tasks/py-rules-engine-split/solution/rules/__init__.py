"""Data-driven rules evaluated against order facts."""

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
from rules.errors import RuleSyntaxError
from rules.parser import load_rules, load_rules_file, parse_condition, parse_rule
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
