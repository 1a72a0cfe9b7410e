import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SPECS = [
    {"name": "default", "action": "accept", "when": {"always": True}},
    {"name": "big-first-order", "priority": 10, "action": "review", "params": {"queue": "fraud"},
     "when": {"all": [{"fact": "order.total", "op": "gt", "value": 500},
                      {"fact": "customer.orders", "op": "eq", "value": 0}]}},
    {"name": "blocked-country", "priority": 20, "action": "reject",
     "when": {"any": [{"fact": "ship.country", "op": "in", "value": ["XX", "YY"]},
                      {"fact": "customer.email", "op": "matches", "value": "@example\\.invalid$"}]}},
    {"name": "gift", "priority": 10, "action": "wrap",
     "when": {"not": {"fact": "order.note", "op": "contains", "value": "no gift"}}},
]


def imports_engine(module):
    code = f"import sys, {module}; print('rules.engine' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip() == "True"


def test_new_modules_expose_the_api():
    from rules.conditions import All, Always, Any_, Compare, Condition, Not, lookup_fact, register_operator
    from rules.errors import RuleSyntaxError
    from rules.parser import load_rules, load_rules_file, parse_condition, parse_rule
    from rules.ruleset import Decision, Rule, RuleSet

    assert issubclass(Compare, Condition) and issubclass(RuleSyntaxError, ValueError)
    ruleset = load_rules(SPECS)
    assert isinstance(ruleset, RuleSet)
    assert isinstance(parse_rule(SPECS[1]), Rule)
    assert parse_condition({"always": True}) == Always()
    assert lookup_fact({"a": {"b": 3}}, "a.b") == 3
    assert callable(register_operator) and callable(load_rules_file)
    assert All and Any_ and Not and Decision


def test_old_import_path_gives_the_same_objects():
    import rules.conditions
    import rules.engine
    import rules.parser
    import rules.ruleset

    for name in ("Condition", "Compare", "All", "Any_", "Not", "Always", "lookup_fact", "register_operator"):
        assert getattr(rules.engine, name) is getattr(rules.conditions, name), name
    for name in ("parse_condition", "parse_rule", "load_rules", "load_rules_file", "RuleSyntaxError"):
        assert getattr(rules.engine, name) is getattr(rules.parser, name), name
    for name in ("Rule", "RuleSet", "Decision"):
        assert getattr(rules.engine, name) is getattr(rules.ruleset, name), name
    import rules.errors

    assert rules.engine.RuleSyntaxError is rules.errors.RuleSyntaxError


def test_package_exports_the_api():
    import rules
    import rules.parser
    import rules.ruleset

    assert rules.load_rules is rules.parser.load_rules
    assert rules.RuleSet is rules.ruleset.RuleSet
    decision = rules.load_rules(SPECS).decide({"order": {"total": 900, "note": "no gift"}, "customer": {"orders": 0}})
    assert decision == rules.Decision("big-first-order", "review", {"queue": "fraud"})


@pytest.mark.parametrize("module", ["rules", "rules.conditions", "rules.parser", "rules.ruleset", "rules.errors"])
def test_new_modules_do_not_depend_on_the_compat_module(module):
    assert imports_engine(module) is False


def test_one_operator_registry_whichever_module_is_used():
    import rules.conditions
    import rules.engine
    import rules.parser

    rules.conditions.register_operator("divisible_by_split", lambda a, b: a % b == 0)
    cond = rules.engine.parse_condition({"fact": "n", "op": "divisible_by_split", "value": 4})
    assert cond.evaluate({"n": 12}) and not cond.evaluate({"n": 10})
    rules.engine.register_operator("shorter_than_split", lambda a, b: len(a) < b)
    ruleset = rules.parser.load_rules(
        [{"name": "short", "action": "ok", "when": {"fact": "s", "op": "shorter_than_split", "value": 3}}]
    )
    assert ruleset.decide({"s": "ab"}).action == "ok"


def test_decisions_through_the_old_path(tmp_path):
    from rules.engine import Decision, RuleSyntaxError, load_rules, load_rules_file

    ruleset = load_rules(SPECS)
    assert [r.name for r in ruleset.rules] == ["blocked-country", "big-first-order", "gift", "default"]
    facts = {"order": {"total": 900, "note": "hi"}, "customer": {"orders": 0, "email": "a@b.c"}, "ship": {"country": "FR"}}
    assert ruleset.decide(facts) == Decision("big-first-order", "review", {"queue": "fraud"})
    assert [d.rule for d in ruleset.matching(facts)] == ["big-first-order", "gift", "default"]
    facts["customer"]["email"] = "x@example.invalid"
    assert ruleset.decide(facts).action == "reject"
    assert ruleset.decide({"order": {"total": "lots"}}).action == "wrap"  # type mismatch: no match
    assert ruleset.decide({"order": {"total": "lots", "note": "no gift please"}}).action == "accept"
    assert ruleset.facts_used() == {"order.total", "customer.orders", "ship.country", "customer.email", "order.note"}
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(SPECS))
    assert [r.name for r in load_rules_file(str(path)).rules] == [r.name for r in ruleset.rules]
    path.write_text("{not json")
    with pytest.raises(RuleSyntaxError):
        load_rules_file(str(path))


def test_syntax_errors_through_the_old_path():
    from rules.engine import RuleSyntaxError, load_rules, register_operator

    bad_specs = [
        {"rules": []},
        [{"name": "a", "action": "x"}],
        [{"name": "a", "action": "x", "when": {"fact": "a", "op": "nope", "value": 1}}],
        [{"name": "a", "action": "x", "when": {"all": []}}],
        [{"name": "a", "action": "x", "when": {"fact": "a", "op": "matches", "value": "("}}],
        [{"name": "a", "action": "x", "when": {"always": True}}, {"name": "a", "action": "y", "when": {"always": True}}],
        [{"name": "a", "action": "x", "priority": "high", "when": {"always": True}}],
    ]
    for specs in bad_specs:
        with pytest.raises(RuleSyntaxError):
            load_rules(specs)
    with pytest.raises(ValueError):
        register_operator("eq", lambda a, b: True)


def test_cli_still_works():
    out = subprocess.run(
        [sys.executable, "-m", "rules", "examples/checkout_rules.json"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    assert out[0].split() == ["20", "blocked-country", "->", "reject"]
    assert out[-1] == "facts used: customer.orders, order.total, ship.country"
