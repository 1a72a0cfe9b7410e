// A translate function bound to a locale and its fallback chain.
import { formatMessage } from './format.mjs';
import { CatalogLoader, fallbackChain } from './loader.mjs';

/**
 * callback(err, t) where t(key, params) formats the first catalog in the chain that
 * has `key`, or returns `key` itself.
 */
export function createTranslator({ dir, locale, fallbackLocales = [], loader }, callback) {
  const source = loader ?? new CatalogLoader(dir);
  source.loadChain(fallbackChain(locale, fallbackLocales), (err, catalogs) => {
    if (err) {
      callback(err);
      return;
    }
    const translate = (key, params = {}) => {
      for (const { locale: found, messages } of catalogs) {
        if (Object.hasOwn(messages, key)) return formatMessage(messages[key], params, found);
      }
      return key;
    };
    callback(null, translate);
  });
}
