export { DEFAULT_PREFIX, envLayer } from './env.mjs';
export { ConfigError } from './errors.mjs';
export { loadConfig, readLayer } from './load.mjs';
export { isPlainObject, mergeLayers } from './merge.mjs';
export { parseOverrides } from './overrides.mjs';
export { getPath, setPath, splitPath } from './paths.mjs';
