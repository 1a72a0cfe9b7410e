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
    this.cache = new Map(); // locale -> messages
  }

  /** callback(err, messages) */
  load(locale, callback) {
    if (this.cache.has(locale)) {
      process.nextTick(callback, null, this.cache.get(locale));
      return;
    }
    readCatalog(this.dir, locale, (err, messages) => {
      if (err) {
        callback(err);
        return;
      }
      this.cache.set(locale, messages);
      callback(null, messages);
    });
  }

  /**
   * callback(err, catalogs): the catalogs of `chain` that exist, in order. Only the
   * first locale is required; a missing fallback is skipped, other errors fail.
   */
  loadChain(chain, callback) {
    const catalogs = [];
    const next = (index) => {
      if (index >= chain.length) {
        callback(null, catalogs);
        return;
      }
      this.load(chain[index], (err, messages) => {
        if (err) {
          if (index > 0 && err.code === 'ENOENT') {
            next(index + 1);
            return;
          }
          callback(err);
          return;
        }
        catalogs.push({ locale: chain[index], messages });
        next(index + 1);
      });
    };
    next(0);
  }
}
