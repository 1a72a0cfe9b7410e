// Config checks, run once when a client is created, so evaluation can trust the shape.
import { OPERATORS } from './clauses.mjs';
import { FlagConfigError } from './errors.mjs';

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

function checkVariantName(flag, name, path) {
  if (typeof name !== 'string' || !Object.hasOwn(flag.variants, name)) {
    throw new FlagConfigError(path, `unknown variant ${JSON.stringify(name)}`);
  }
}

function checkClause(clause, path) {
  if (!isObject(clause)) throw new FlagConfigError(path, 'must be an object');
  if (typeof clause.attribute !== 'string' || !clause.attribute) {
    throw new FlagConfigError(`${path}.attribute`, 'must be a non-empty string');
  }
  if (!Object.hasOwn(OPERATORS, clause.op)) {
    const known = Object.keys(OPERATORS).join(', ');
    throw new FlagConfigError(`${path}.op`, `unknown operator ${JSON.stringify(clause.op)} (known: ${known})`);
  }
  if (!Array.isArray(clause.values) || clause.values.length === 0) {
    throw new FlagConfigError(`${path}.values`, 'must be a non-empty array');
  }
}

function checkFlag(key, flag) {
  const path = `flags.${key}`;
  if (!isObject(flag)) throw new FlagConfigError(path, 'must be an object');
  if (typeof flag.enabled !== 'boolean') {
    throw new FlagConfigError(`${path}.enabled`, 'must be true or false');
  }
  if (!isObject(flag.variants) || Object.keys(flag.variants).length === 0) {
    throw new FlagConfigError(`${path}.variants`, 'must map at least one variant name to a value');
  }
  checkVariantName(flag, flag.offVariant, `${path}.offVariant`);
  for (const [i, target] of (flag.targets ?? []).entries()) {
    checkVariantName(flag, target.variant, `${path}.targets[${i}].variant`);
    if (!Array.isArray(target.values)) {
      throw new FlagConfigError(`${path}.targets[${i}].values`, 'must be an array of keys');
    }
  }
  for (const [i, rule] of (flag.rules ?? []).entries()) {
    const rulePath = `${path}.rules[${i}]`;
    if (!isObject(rule) || !Array.isArray(rule.clauses) || rule.clauses.length === 0) {
      throw new FlagConfigError(`${rulePath}.clauses`, 'must be a non-empty array');
    }
    rule.clauses.forEach((clause, j) => checkClause(clause, `${rulePath}.clauses[${j}]`));
    checkVariantName(flag, rule.variant, `${rulePath}.variant`);
  }
  if (!isObject(flag.fallthrough)) {
    throw new FlagConfigError(`${path}.fallthrough`, 'must be an object');
  }
  checkVariantName(flag, flag.fallthrough.variant, `${path}.fallthrough.variant`);
}

export function validateConfig(config) {
  if (!isObject(config) || !isObject(config.flags)) {
    throw new FlagConfigError('flags', 'the config needs a "flags" object');
  }
  for (const [key, flag] of Object.entries(config.flags)) checkFlag(key, flag);
  return config;
}
