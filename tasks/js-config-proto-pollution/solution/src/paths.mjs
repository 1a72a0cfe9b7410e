// Dotted paths for --set overrides: "database.pool.max" -> ['database', 'pool', 'max'].
import { ConfigError } from './errors.mjs';
import { assertSafeKey } from './keys.mjs';

export function splitPath(path) {
  const parts = [];
  let current = '';
  for (let i = 0; i < path.length; i += 1) {
    const ch = path[i];
    if (ch === '\\' && path[i + 1] === '.') {
      current += '.';
      i += 1;
    } else if (ch === '.') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  if (parts.some((part) => part === '')) {
    throw new ConfigError(`--set ${path}`, 'empty path segment');
  }
  parts.forEach((part, i) => assertSafeKey(part, `--set ${path}`, parts.slice(0, i + 1).join('.')));
  return parts;
}

/** Set `value` at `path` inside `target`, creating objects on the way. Mutates `target`. */
export function setPath(target, path, value) {
  const parts = splitPath(path);
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!Object.hasOwn(node, part) || node[part] === null || typeof node[part] !== 'object') {
      node[part] = {};
    }
    node = node[part];
  }
  node[parts[parts.length - 1]] = value;
  return target;
}

export function getPath(target, path) {
  let node = target;
  for (const part of splitPath(path)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return node;
}
