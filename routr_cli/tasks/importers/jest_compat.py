"""The Jest-style globals Exercism's JavaScript tests expect, for ``node --test``.

Exercism's JS tests call ``describe``/``test``/``xtest`` and ``expect(...)`` as Jest
globals. The ``node`` sandbox has Node's own runner and no npm, so the importer ships
this small ES module next to the converted tests and imports it at their top. It maps
the runner functions to ``node:test`` (``xtest``/``xit`` run too: Exercism skips them
only for learners) and implements the common matchers on plain comparisons, throwing
``assert.AssertionError`` so reports read like any Node assertion failure.
"""

from __future__ import annotations

FILE_NAME = "jest-compat.mjs"

SOURCE = r"""// Jest-style test globals on top of node:test, written by `routr tasks import exercism`.
import assert from 'node:assert/strict';
import { test as nodeTest, it as nodeIt } from 'node:test';

export {
  describe, test, it, beforeEach, afterEach, before as beforeAll, after as afterAll,
} from 'node:test';
export const xtest = nodeTest;
export const xit = nodeIt;
export const xdescribe = (name, fn) => nodeTest(name, fn);

const show = (value) => {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  } catch {
    return String(value);
  }
};

function equals(a, b, strict) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (a instanceof Map || a instanceof Set || b instanceof Map || b instanceof Set) {
    return a.constructor === b.constructor && equals([...a], [...b], strict);
  }
  const keys = (o) => Object.keys(o).filter((k) => strict || o[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equals(a[k], b[k], strict));
}

function thrown(fn) {
  if (typeof fn !== 'function') throw new TypeError('expect(...).toThrow needs a function');
  try {
    fn();
  } catch (error) {
    return { error };
  }
  return null;
}

function throwMatches(result, expected) {
  if (!result) return false;
  const { error } = result;
  const message = error && error.message !== undefined ? error.message : String(error);
  if (expected === undefined) return true;
  if (typeof expected === 'string') return message.includes(expected);
  if (expected instanceof RegExp) return expected.test(message);
  if (typeof expected === 'function') return error instanceof expected;
  if (expected instanceof Error) return message === expected.message;
  return false;
}

function matchers(actual, negate) {
  const verify = (pass, words, expected) => {
    if (Boolean(pass) !== negate) return;
    const tail = expected === undefined ? '' : ` ${show(expected)}`;
    throw new assert.AssertionError({
      message: `expected ${show(actual)} ${negate ? 'not ' : ''}${words}${tail}`,
      actual,
      expected,
      operator: words,
    });
  };
  const api = {
    toBe: (e) => verify(Object.is(actual, e), 'to be', e),
    toEqual: (e) => verify(equals(actual, e, false), 'to equal', e),
    toStrictEqual: (e) => verify(equals(actual, e, true), 'to strictly equal', e),
    toBeCloseTo: (e, digits = 2) =>
      verify(Math.abs(e - actual) < 10 ** -digits / 2, `to be close to (${digits} digits)`, e),
    toBeTruthy: () => verify(actual, 'to be truthy'),
    toBeFalsy: () => verify(!actual, 'to be falsy'),
    toBeNull: () => verify(actual === null, 'to be null'),
    toBeUndefined: () => verify(actual === undefined, 'to be undefined'),
    toBeDefined: () => verify(actual !== undefined, 'to be defined'),
    toBeNaN: () => verify(Number.isNaN(actual), 'to be NaN'),
    toBeGreaterThan: (e) => verify(actual > e, 'to be greater than', e),
    toBeGreaterThanOrEqual: (e) => verify(actual >= e, 'to be at least', e),
    toBeLessThan: (e) => verify(actual < e, 'to be less than', e),
    toBeLessThanOrEqual: (e) => verify(actual <= e, 'to be at most', e),
    toBeInstanceOf: (e) => verify(actual instanceof e, 'to be an instance of', e && e.name),
    toContain: (e) => verify(actual != null && actual.includes(e), 'to contain', e),
    toContainEqual: (e) => verify([...actual].some((x) => equals(x, e, false)), 'to contain', e),
    toHaveLength: (e) => verify(actual != null && actual.length === e, 'to have length', e),
    toHaveProperty: (k) => verify(actual != null && k in Object(actual), 'to have property', k),
    toMatch: (e) =>
      verify(typeof e === 'string' ? actual.includes(e) : e.test(actual), 'to match', String(e)),
    toThrow: (e) => verify(throwMatches(thrown(actual), e), 'to throw', e && (e.name ?? e)),
  };
  api.toThrowError = api.toThrow;
  return api;
}

export function expect(actual) {
  const direct = matchers(actual, false);
  direct.not = matchers(actual, true);
  const later = (settle, rejected) => {
    const out = {};
    for (const name of Object.keys(direct).filter((n) => n !== 'not')) {
      out[name] = async (...args) => {
        const value = await settle();
        const subject = rejected && name.startsWith('toThrow') ? () => { throw value; } : value;
        return matchers(subject, false)[name](...args);
      };
    }
    return out;
  };
  direct.resolves = later(() => Promise.resolve(actual), false);
  direct.rejects = later(async () => {
    try {
      await actual;
    } catch (error) {
      return error;
    }
    throw new assert.AssertionError({ message: 'expected the promise to reject' });
  }, true);
  return direct;
}
"""
