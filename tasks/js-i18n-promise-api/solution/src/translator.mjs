// A translate function bound to a locale and its fallback chain.
import { formatMessage } from './format.mjs';
import { CatalogLoader, fallbackChain } from './loader.mjs';

/**
 * Resolves to t(key, params), which formats the first catalog in the chain that has
 * `key`, or returns `key` itself.
 */
export async function createTranslator({ dir, locale, fallbackLocales = [], loader } = {}) {
  const source = loader ?? new CatalogLoader(dir);
  const catalogs = await source.loadChain(fallbackChain(locale, fallbackLocales));
  return (key, params = {}) => {
    for (const { locale: found, messages } of catalogs) {
      if (Object.hasOwn(messages, key)) return formatMessage(messages[key], params, found);
    }
    return key;
  };
}
