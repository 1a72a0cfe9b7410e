// Environment overrides for containers: APP__SERVER__PORT=8081 sets server.port.
// Double underscores separate path segments; segment names are lower-camel-cased
// from SNAKE_CASE (APP__DATABASE__POOL__MAX_SIZE -> database.pool.maxSize).
import { setPath } from './paths.mjs';

export const DEFAULT_PREFIX = 'APP__';

function camel(segment) {
  return segment.toLowerCase().replace(/_([a-z0-9])/g, (_, ch) => ch.toUpperCase());
}

function parseValue(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** A config layer built from the variables of `env` that start with `prefix`. */
export function envLayer(env = process.env, prefix = DEFAULT_PREFIX) {
  const layer = {};
  for (const name of Object.keys(env).sort()) {
    if (!name.startsWith(prefix) || name.length === prefix.length) continue;
    const segments = name.slice(prefix.length).split('__').map(camel);
    // Escape dots: a variable can only ever name one segment per "__".
    const path = segments.map((s) => s.replace(/\./g, '\\.')).join('.');
    setPath(layer, path, parseValue(env[name]));
  }
  return layer;
}
