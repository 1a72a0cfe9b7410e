// Reading one catalog file: locales/<locale>.json, a flat object of strings.
import fs from 'node:fs';
import path from 'node:path';
import { CatalogError } from './errors.mjs';

const LOCALE_RE = /^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3})?$/;

export function catalogPath(dir, locale) {
  if (!LOCALE_RE.test(locale)) throw new CatalogError(locale, 'not a locale tag like "de" or "de-AT"');
  return path.join(dir, `${locale}.json`);
}

/** callback(err, messages): messages is a flat { key: template } object. */
export function readCatalog(dir, locale, callback) {
  let file;
  try {
    file = catalogPath(dir, locale);
  } catch (error) {
    process.nextTick(callback, error);
    return;
  }
  fs.readFile(file, 'utf8', (err, text) => {
    if (err) {
      callback(new CatalogError(locale, `cannot read ${file}`, err));
      return;
    }
    let messages;
    try {
      messages = JSON.parse(text);
    } catch (parseError) {
      callback(new CatalogError(locale, `invalid JSON in ${file}`, parseError));
      return;
    }
    const bad = Object.entries(messages ?? {}).find(([, v]) => typeof v !== 'string');
    if (messages === null || typeof messages !== 'object' || Array.isArray(messages) || bad) {
      callback(new CatalogError(locale, `${file} must map keys to strings`));
      return;
    }
    callback(null, messages);
  });
}
