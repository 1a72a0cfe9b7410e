// Keys that reach an object's prototype instead of naming data. Untrusted layers
// (an uploaded local.json, --set overrides) must never get to write through them.
import { ConfigError } from './errors.mjs';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function assertSafeKey(key, source, where) {
  if (FORBIDDEN_KEYS.has(key)) {
    throw new ConfigError(source, `forbidden key ${JSON.stringify(key)} at ${where || '(top level)'}`);
  }
}

/** Walk parsed JSON and reject any forbidden key, however deep. */
export function assertSafeTree(value, source, where = '') {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertSafeTree(item, source, `${where}[${i}]`));
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const here = where ? `${where}.${key}` : key;
      assertSafeKey(key, source, here);
      assertSafeTree(value[key], source, here);
    }
  }
}
