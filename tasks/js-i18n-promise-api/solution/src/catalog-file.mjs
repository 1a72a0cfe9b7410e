// Reading one catalog file: locales/<locale>.json, a flat object of strings.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CatalogError } from './errors.mjs';

const LOCALE_RE = /^[a-z]{2,3}(-[A-Z][A-Za-z]{1,3})?$/;

export function catalogPath(dir, locale) {
  if (!LOCALE_RE.test(locale)) throw new CatalogError(locale, 'not a locale tag like "de" or "de-AT"');
  return path.join(dir, `${locale}.json`);
}

/** Resolves to a flat { key: template } object; rejects with CatalogError. */
export async function readCatalog(dir, locale) {
  const file = catalogPath(dir, locale);
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CatalogError(locale, `cannot read ${file}`, error);
  }
  let messages;
  try {
    messages = JSON.parse(text);
  } catch (parseError) {
    throw new CatalogError(locale, `invalid JSON in ${file}`, parseError);
  }
  const bad = Object.entries(messages ?? {}).find(([, v]) => typeof v !== 'string');
  if (messages === null || typeof messages !== 'object' || Array.isArray(messages) || bad) {
    throw new CatalogError(locale, `${file} must map keys to strings`);
  }
  return messages;
}
