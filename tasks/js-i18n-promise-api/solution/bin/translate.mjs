#!/usr/bin/env node
// translate LOCALE KEY [name=value]...: print one translated message.
import { createTranslator } from '../src/index.mjs';

const [locale, key, ...pairs] = process.argv.slice(2);
if (!locale || !key) {
  console.error('usage: translate LOCALE KEY [name=value]...');
  process.exit(2);
}
const params = Object.fromEntries(pairs.map((p) => p.split('=')));
try {
  const dir = new URL('../locales', import.meta.url).pathname;
  const t = await createTranslator({ dir, locale, fallbackLocales: ['en'] });
  console.log(t(key, params));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
