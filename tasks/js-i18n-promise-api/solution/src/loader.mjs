// Catalog loading with a per-loader cache and locale fallback chains.
import { readCatalog } from './catalog-file.mjs';

/** 'de-AT' with fallbacks ['en'] -> ['de-AT', 'de', 'en'] (no duplicates). */
export function fallbackChain(locale, fallbackLocales = []) {
  const chain = [locale];
  const dash = locale.indexOf('-');
  if (dash > 0) chain.push(locale.slice(0, dash));
  for (const extra of fallbackLocales) chain.push(extra);
  return [...new Set(chain)];
}

export class CatalogLoader {
  constructor(dir) {
    this.dir = dir;
    // locale -> Promise of messages. Caching the promise (not the result) makes
    // concurrent loads of one locale share a single read.
    this.cache = new Map();
  }

  /** Resolves to the locale's messages; a failed load is not cached. */
  load(locale) {
    if (!this.cache.has(locale)) {
      const pending = readCatalog(this.dir, locale);
      this.cache.set(locale, pending);
      pending.catch(() => {
        if (this.cache.get(locale) === pending) this.cache.delete(locale);
      });
    }
    return this.cache.get(locale);
  }

  /**
   * Resolves to the catalogs of `chain` that exist, in order. Only the first locale
   * is required; a missing fallback is skipped, other errors reject.
   */
  async loadChain(chain) {
    const results = await Promise.allSettled(chain.map((locale) => this.load(locale)));
    const catalogs = [];
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') {
        catalogs.push({ locale: chain[index], messages: result.value });
        return;
      }
      if (index > 0 && result.reason?.code === 'ENOENT') return;
      throw result.reason;
    });
    return catalogs;
  }
}
