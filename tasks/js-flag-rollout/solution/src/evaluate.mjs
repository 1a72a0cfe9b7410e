// Flag evaluation: targets, then rules in order, then the fallthrough.
import { ruleMatches } from './clauses.mjs';
import { ErrorCode, Reason } from './errors.mjs';
import { fnv1a32 } from './hash.mjs';

function serve(flag, variant, reason, extra = {}) {
  return { value: flag.variants[variant], variant, reason, ...extra };
}

/** The user's bucket for this flag, 0..99: stable per (flag, key), independent across flags. */
export function rolloutBucket(flagKey, key) {
  return fnv1a32(`${flagKey}:${key}`) % 100;
}

/**
 * The variant a rule or the fallthrough serves: its `variant`, or the rollout slice
 * holding the user's bucket (slices take consecutive buckets in the listed order).
 * Null when a rollout cannot place a context that has no key.
 */
function chooseVariant(flagKey, target, context) {
  if (!target.rollout) return target.variant;
  if (context.key === undefined || context.key === null) return null;
  const bucket = rolloutBucket(flagKey, context.key);
  let upper = 0;
  for (const slice of target.rollout) {
    upper += slice.weight;
    if (bucket < upper) return slice.variant;
  }
  return null; // unreachable: validated weights add up to 100
}

export function evaluateFlag(flagKey, flag, context, defaultValue) {
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
      const variant = chooseVariant(flagKey, rule, context);
      if (variant === null) return errorResult(defaultValue, ErrorCode.MISSING_TARGETING_KEY);
      return serve(flag, variant, Reason.RULE_MATCH, { ruleIndex });
    }
  }
  const variant = chooseVariant(flagKey, flag.fallthrough, context);
  if (variant === null) return errorResult(defaultValue, ErrorCode.MISSING_TARGETING_KEY);
  return serve(flag, variant, Reason.FALLTHROUGH);
}

export function errorResult(defaultValue, errorCode) {
  return { value: defaultValue, variant: null, reason: Reason.ERROR, errorCode };
}

export { ErrorCode };
