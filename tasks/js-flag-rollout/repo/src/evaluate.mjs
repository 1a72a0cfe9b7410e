// Flag evaluation: targets, then rules in order, then the fallthrough.
import { ruleMatches } from './clauses.mjs';
import { ErrorCode, Reason } from './errors.mjs';

function serve(flag, variant, reason, extra = {}) {
  return { value: flag.variants[variant], variant, reason, ...extra };
}

export function evaluateFlag(flag, context) {
  if (!flag.enabled) return serve(flag, flag.offVariant, Reason.OFF);
  const key = context.key;
  if (key !== undefined) {
    for (const target of flag.targets ?? []) {
      if (target.values.includes(key)) return serve(flag, target.variant, Reason.TARGET_MATCH);
    }
  }
  const rules = flag.rules ?? [];
  for (let ruleIndex = 0; ruleIndex < rules.length; ruleIndex += 1) {
    const rule = rules[ruleIndex];
    if (ruleMatches(rule, context)) {
      return serve(flag, rule.variant, Reason.RULE_MATCH, { ruleIndex });
    }
  }
  return serve(flag, flag.fallthrough.variant, Reason.FALLTHROUGH);
}

export function errorResult(defaultValue, errorCode) {
  return { value: defaultValue, variant: null, reason: Reason.ERROR, errorCode };
}

export { ErrorCode };
