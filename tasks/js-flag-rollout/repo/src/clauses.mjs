// Clause matching: one attribute of the evaluation context against a list of values.

export const OPERATORS = Object.freeze({
  eq: (actual, values) => values.some((v) => v === actual),
  neq: (actual, values) => values.every((v) => v !== actual),
  in: (actual, values) => values.includes(actual),
  notIn: (actual, values) => !values.includes(actual),
  startsWith: (actual, values) =>
    typeof actual === 'string' && values.some((v) => actual.startsWith(v)),
  endsWith: (actual, values) =>
    typeof actual === 'string' && values.some((v) => actual.endsWith(v)),
  lt: (actual, values) => typeof actual === 'number' && values.some((v) => actual < v),
  gt: (actual, values) => typeof actual === 'number' && values.some((v) => actual > v),
});

export function clauseMatches(clause, context) {
  if (!Object.hasOwn(context, clause.attribute)) return false;
  return OPERATORS[clause.op](context[clause.attribute], clause.values);
}

export function ruleMatches(rule, context) {
  return rule.clauses.every((clause) => clauseMatches(clause, context));
}
