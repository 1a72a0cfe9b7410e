export class CatalogError extends Error {
  constructor(locale, problem, cause) {
    super(`catalog ${locale}: ${problem}`, cause ? { cause } : undefined);
    this.name = 'CatalogError';
    this.locale = locale;
    this.code = cause?.code ?? 'EINVALID';
  }
}
