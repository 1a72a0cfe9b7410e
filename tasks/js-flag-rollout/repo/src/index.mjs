export { FlagClient, createClient } from './client.mjs';
export { ErrorCode, FlagConfigError, Reason } from './errors.mjs';
export { configEtag, fnv1a32 } from './hash.mjs';
