"""`python -m rules RULES.json [FACTS.json]`: check a rule file, optionally decide on facts."""

from __future__ import annotations

import json
import sys

from rules.engine import RuleSyntaxError, load_rules_file


def main(argv: list[str]) -> int:
    if not 1 <= len(argv) <= 2:
        print("usage: python -m rules RULES.json [FACTS.json]", file=sys.stderr)
        return 2
    try:
        ruleset = load_rules_file(argv[0])
    except (OSError, RuleSyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if len(argv) == 1:
        for rule in ruleset.rules:
            print(f"{rule.priority:>4}  {rule.name}  -> {rule.action}")
        print(f"facts used: {', '.join(sorted(ruleset.facts_used())) or '(none)'}")
        return 0
    with open(argv[1], encoding="utf-8") as handle:
        facts = json.load(handle)
    decision = ruleset.decide(facts)
    print("no rule matched" if decision is None else f"{decision.rule}: {decision.action} {decision.params}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
