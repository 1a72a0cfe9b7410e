// npm-style version ranges: parsed into a union of comparator sets, then matched.
import { compareVersions, parseVersion } from './version.mjs';

export class InvalidRangeError extends Error {
  constructor(text, why) {
    super(`invalid version range ${JSON.stringify(text)}: ${why}`);
    this.name = 'InvalidRangeError';
  }
}

const PARTIAL_RE =
  /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z-.]+))?(?:\+[0-9A-Za-z-.]+)?$/;

const isWild = (part) => part === undefined || part === 'x' || part === 'X' || part === '*';

/** A possibly partial version: missing or wildcard parts are null. */
function parsePartial(text, rangeText) {
  const match = PARTIAL_RE.exec(text);
  if (!match) throw new InvalidRangeError(rangeText, `cannot read ${JSON.stringify(text)}`);
  const [major, minor, patch] = [match[1], match[2], match[3]].map((p) =>
    isWild(p) ? null : Number(p),
  );
  const prerelease = match[4] ? parseVersion(`0.0.0-${match[4]}`).prerelease : [];
  return { major, minor: major === null ? null : minor, patch: minor === null ? null : patch, prerelease };
}

const version = (major, minor, patch, prerelease = []) => ({ major, minor, patch, prerelease });
const comparator = (operator, v) => ({ operator, version: v });

/** The lowest version a partial stands for: 1.x -> 1.0.0. */
function floor(p) {
  return version(p.major ?? 0, p.minor ?? 0, p.patch ?? 0, p.prerelease);
}

/** `~1.2.3` := >=1.2.3 <1.3.0, `~1` := >=1.0.0 <2.0.0. */
function tilde(p) {
  if (p.major === null) return [];
  const upper = p.minor === null ? version(p.major + 1, 0, 0) : version(p.major, p.minor + 1, 0);
  return [comparator('>=', floor(p)), comparator('<', upper)];
}

/** `^1.2.3` := >=1.2.3 <2.0.0: changes that keep the left-most non-zero part. */
function caret(p) {
  if (p.major === null) return [];
  return [comparator('>=', floor(p)), comparator('<', version(p.major + 1, 0, 0))];
}

/** An x-range or a bare version, with an optional operator in front. */
function primitive(operator, p) {
  if (p.major === null) {
    return operator === '<' || operator === '>' ? [comparator('<', version(0, 0, 0))] : [];
  }
  const exact = p.minor !== null && p.patch !== null;
  if (exact) return [comparator(operator || '=', floor(p))];
  const next = p.minor === null ? version(p.major + 1, 0, 0) : version(p.major, p.minor + 1, 0);
  switch (operator) {
    case '':
    case '=':
      return [comparator('>=', floor(p)), comparator('<', next)];
    case '>':
      return [comparator('>=', next)];
    case '>=':
      return [comparator('>=', floor(p))];
    case '<':
      return [comparator('<', floor(p))];
    case '<=':
      return [comparator('<', next)];
    default:
      throw new Error(`unreachable operator ${operator}`);
  }
}

function hyphen(lowText, highText, rangeText) {
  const low = parsePartial(lowText, rangeText);
  const high = parsePartial(highText, rangeText);
  const result = low.major === null ? [] : [comparator('>=', floor(low))];
  if (high.major !== null) result.push(...primitive('<=', high));
  return result;
}

function parseComparatorSet(setText, rangeText) {
  const text = setText.trim().replace(/(>=|<=|>|<|=|~|\^)\s+/g, '$1');
  const hyphenMatch = /^(\S+)\s+-\s+(\S+)$/.exec(text);
  if (hyphenMatch) return hyphen(hyphenMatch[1], hyphenMatch[2], rangeText);
  const comparators = [];
  for (const token of text.split(/\s+/).filter(Boolean)) {
    const match = /^(>=|<=|>|<|=|~|\^)?(.*)$/.exec(token);
    const operator = match[1] ?? '';
    const partial = parsePartial(match[2], rangeText);
    if (operator === '~') comparators.push(...tilde(partial));
    else if (operator === '^') comparators.push(...caret(partial));
    else comparators.push(...primitive(operator, partial));
  }
  return comparators;
}

/** Parse a range into a list of comparator sets (the range is their union). */
export function parseRange(text) {
  if (typeof text !== 'string') throw new InvalidRangeError(String(text), 'not a string');
  return text.split('||').map((part) => parseComparatorSet(part, text));
}

function test(comparatorItem, v) {
  const order = compareVersions(v, comparatorItem.version);
  switch (comparatorItem.operator) {
    case '=':
      return order === 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    default:
      throw new Error(`unknown operator ${comparatorItem.operator}`);
  }
}

function sameCore(a, b) {
  return a.major === b.major && a.minor === b.minor && a.patch === b.patch;
}

function setAllows(set, v) {
  if (!set.every((c) => test(c, v))) return false;
  if (!v.prerelease.length) return true;
  // A pre-release only matches when the set opts in for that exact major.minor.patch.
  return set.some((c) => c.version.prerelease.length && sameCore(c.version, v));
}

export function satisfies(versionText, rangeText) {
  const v = typeof versionText === 'string' ? parseVersion(versionText) : versionText;
  return parseRange(rangeText).some((set) => setAllows(set, v));
}

export function maxSatisfying(versions, rangeText) {
  const sets = parseRange(rangeText);
  let best = null;
  for (const text of versions) {
    const v = parseVersion(text);
    if (sets.some((set) => setAllows(set, v)) && (best === null || compareVersions(v, best.v) > 0)) {
      best = { text, v };
    }
  }
  return best ? best.text : null;
}
