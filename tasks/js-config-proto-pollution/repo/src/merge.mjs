// Deep merge of configuration layers (see README: Merge rules).

export function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function cloneValue(value) {
  if (Array.isArray(value)) return value.map(cloneValue);
  if (isPlainObject(value)) return mergeInto({}, value);
  return value;
}

function mergeInto(target, source) {
  for (const key in source) {
    const incoming = source[key];
    if (incoming === null) {
      delete target[key];
    } else if (isPlainObject(incoming) && isPlainObject(target[key])) {
      mergeInto(target[key], incoming);
    } else {
      target[key] = cloneValue(incoming);
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
    mergeInto(result, layer);
  }
  return result;
}
