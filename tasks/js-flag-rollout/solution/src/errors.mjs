export class FlagConfigError extends Error {
  constructor(path, problem) {
    super(`${path}: ${problem}`);
    this.name = 'FlagConfigError';
    this.path = path;
  }
}

export const ErrorCode = Object.freeze({
  FLAG_NOT_FOUND: 'FLAG_NOT_FOUND',
  TYPE_MISMATCH: 'TYPE_MISMATCH',
  MISSING_TARGETING_KEY: 'MISSING_TARGETING_KEY',
});

export const Reason = Object.freeze({
  OFF: 'OFF',
  TARGET_MATCH: 'TARGET_MATCH',
  RULE_MATCH: 'RULE_MATCH',
  FALLTHROUGH: 'FALLTHROUGH',
  ERROR: 'ERROR',
});
