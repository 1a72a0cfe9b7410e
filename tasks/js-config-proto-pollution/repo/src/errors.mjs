export class ConfigError extends Error {
  constructor(source, problem) {
    super(`${source}: ${problem}`);
    this.name = 'ConfigError';
    this.source = source;
  }
}
