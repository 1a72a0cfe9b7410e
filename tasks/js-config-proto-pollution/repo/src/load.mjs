// Reading the layer files and putting the whole configuration together.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors.mjs';
import { isPlainObject, mergeLayers } from './merge.mjs';
import { envLayer } from './env.mjs';
import { parseOverrides } from './overrides.mjs';

/** Parse one JSON layer; a missing optional file is `undefined`. */
export function readLayer(file, { optional = false } = {}) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (optional && error.code === 'ENOENT') return undefined;
    throw new ConfigError(file, `cannot read: ${error.code ?? error.message}`);
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(file, `invalid JSON: ${error.message}`);
  }
  if (!isPlainObject(data)) throw new ConfigError(file, 'top level must be a JSON object');
  return data;
}

export function loadConfig({ dir, env = 'development', argv = [], environ = {} }) {
  const layers = [
    readLayer(path.join(dir, 'default.json')),
    readLayer(path.join(dir, `${env}.json`), { optional: true }),
    readLayer(path.join(dir, 'local.json'), { optional: true }),
    envLayer(environ),
    parseOverrides(argv),
  ];
  return mergeLayers(...layers);
}
