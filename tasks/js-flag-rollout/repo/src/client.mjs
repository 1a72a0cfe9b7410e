// The client a service holds: a validated, frozen config and an evaluate() method.
import { ErrorCode, errorResult, evaluateFlag } from './evaluate.mjs';
import { configEtag } from './hash.mjs';
import { validateConfig } from './validate.mjs';

function deepFreeze(value) {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

export class FlagClient {
  #config;

  constructor(config) {
    this.#config = deepFreeze(structuredClone(validateConfig(config)));
    this.etag = configEtag(this.#config);
  }

  flagKeys() {
    return Object.keys(this.#config.flags).sort();
  }

  /** Evaluate `flagKey` for `context`; never throws for a well-formed call. */
  evaluate(flagKey, context = {}, defaultValue = undefined) {
    const flag = Object.hasOwn(this.#config.flags, flagKey) ? this.#config.flags[flagKey] : null;
    if (!flag) return errorResult(defaultValue, ErrorCode.FLAG_NOT_FOUND);
    return evaluateFlag(flag, context);
  }

  /** The value alone, for call sites that do not care why. */
  value(flagKey, context = {}, defaultValue = undefined) {
    return this.evaluate(flagKey, context, defaultValue).value;
  }
}

export function createClient(config) {
  return new FlagClient(config);
}
