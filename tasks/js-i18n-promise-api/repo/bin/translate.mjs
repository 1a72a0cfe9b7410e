#!/usr/bin/env node
// translate LOCALE KEY [name=value]...: print one translated message.
import { createTranslator } from '../src/index.mjs';

const [locale, key, ...pairs] = process.argv.slice(2);
if (!locale || !key) {
  console.error('usage: translate LOCALE KEY [name=value]...');
  process.exit(2);
}
const params = Object.fromEntries(pairs.map((p) => p.split('=')));
createTranslator({ dir: new URL('../locales', import.meta.url).pathname, locale, fallbackLocales: ['en'] }, (err, t) => {
  if (err) {
    console.error(err.message);
    process.exit(1);
  }
  console.log(t(key, params));
});
