// Deep merge of configuration layers (see README: Merge rules).
import { assertSafeKey } from './keys.mjs';

export function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function cloneValue(value, where) {
  if (Array.isArray(value)) return value.map((item, i) => cloneValue(item, `${where}[${i}]`));
  if (isPlainObject(value)) return mergeInto({}, value, where);
  return value;
}

// Only own keys are read, and a key that would reach a prototype is refused, so a
// layer can never modify Object.prototype (or any other shared object).
function mergeInto(target, source, where) {
  for (const key of Object.keys(source)) {
    const here = where ? `${where}.${key}` : key;
    assertSafeKey(key, 'config layer', here);
    const incoming = source[key];
    const current = Object.hasOwn(target, key) ? target[key] : undefined;
    if (incoming === null) {
      delete target[key];
    } else if (isPlainObject(incoming) && isPlainObject(current)) {
      mergeInto(current, incoming, here);
    } else {
      target[key] = cloneValue(incoming, here);
    }
  }
  return target;
}

/** A new object: `layers` merged left to right. The layers are not modified. */
export function mergeLayers(...layers) {
  const result = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    if (!isPlainObject(layer)) throw new TypeError('every layer must be a plain object');
    mergeInto(result, layer, '');
  }
  return result;
}
