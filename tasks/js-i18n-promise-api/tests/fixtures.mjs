import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function localesDir(files) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'i18n-'));
  for (const [locale, content] of Object.entries(files)) {
    const text = typeof content === 'string' ? content : JSON.stringify(content);
    fs.writeFileSync(path.join(dir, `${locale}.json`), text);
  }
  return dir;
}

export const CATALOGS = {
  en: {
    'cart.items': '{count, plural, =0 {Your cart is empty} one {# item} other {# items}}',
    greeting: 'Hello, {name}!',
    'order.shipped': 'Order {id} has shipped',
  },
  de: {
    'cart.items': '{count, plural, =0 {Leer} one {# Artikel} other {# Artikel}}',
    greeting: 'Hallo, {name}!',
  },
  'de-AT': { greeting: 'Servus, {name}!' },
};
