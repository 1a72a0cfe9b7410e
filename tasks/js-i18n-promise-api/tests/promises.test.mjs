import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CatalogError, CatalogLoader, createTranslator, readCatalog } from '../src/index.mjs';
import { CATALOGS, localesDir } from './fixtures.mjs';

const isPromise = (value) => value !== null && typeof value?.then === 'function';

describe('readCatalog', () => {
  test('resolves to the messages', async () => {
    const dir = localesDir(CATALOGS);
    const pending = readCatalog(dir, 'de');
    assert.ok(isPromise(pending), 'readCatalog must return a promise');
    assert.deepEqual(await pending, CATALOGS.de);
  });

  test('rejects with CatalogError for missing, malformed and invalid catalogs', async () => {
    const dir = localesDir({ en: CATALOGS.en, fr: '{not json', it: '{"a": 1}' });
    const expectCode = (code, locale) => (error) =>
      error instanceof CatalogError && error.code === code && error.locale === locale;
    await assert.rejects(readCatalog(dir, 'nl'), expectCode('ENOENT', 'nl'));
    await assert.rejects(readCatalog(dir, 'fr'), expectCode('EINVALID', 'fr'));
    await assert.rejects(readCatalog(dir, 'it'), expectCode('EINVALID', 'it'));
    let pending;
    assert.doesNotThrow(() => {
      pending = readCatalog(dir, '../etc/passwd');
    });
    await assert.rejects(pending, CatalogError);
  });
});

describe('CatalogLoader', () => {
  test('concurrent loads share one read and later loads hit the cache', async () => {
    const dir = localesDir(CATALOGS);
    const loader = new CatalogLoader(dir);
    const [first, second] = await Promise.all([loader.load('en'), loader.load('en')]);
    assert.deepEqual(first, CATALOGS.en);
    assert.equal(first, second);
    fs.unlinkSync(path.join(dir, 'en.json'));
    assert.equal(await loader.load('en'), first);
  });

  test('a failed load is not cached', async () => {
    const dir = localesDir({ en: CATALOGS.en, de: '{broken' });
    const loader = new CatalogLoader(dir);
    await assert.rejects(loader.load('de'), CatalogError);
    fs.writeFileSync(path.join(dir, 'de.json'), JSON.stringify(CATALOGS.de));
    assert.deepEqual(await loader.load('de'), CATALOGS.de);
  });

  test('loadChain skips missing fallbacks and keeps order', async () => {
    const loader = new CatalogLoader(localesDir(CATALOGS));
    const catalogs = await loader.loadChain(['de-AT', 'de', 'pt', 'en']);
    assert.deepEqual(
      catalogs.map((c) => c.locale),
      ['de-AT', 'de', 'en'],
    );
    await assert.rejects(loader.loadChain(['pt', 'en']), (e) => e instanceof CatalogError && e.code === 'ENOENT');
  });
});

describe('createTranslator', () => {
  test('resolves to a translate function with the fallback chain', async () => {
    const dir = localesDir(CATALOGS);
    const pending = createTranslator({ dir, locale: 'de-AT', fallbackLocales: ['en'] });
    assert.ok(isPromise(pending), 'createTranslator must return a promise');
    const t = await pending;
    assert.equal(t('greeting', { name: 'Anna' }), 'Servus, Anna!');
    assert.equal(t('cart.items', { count: 1 }), '1 Artikel');
    assert.equal(t('cart.items', { count: 0 }), 'Leer');
    assert.equal(t('order.shipped', { id: 'A-7' }), 'Order A-7 has shipped');
    assert.equal(t('no.such.key'), 'no.such.key');
  });

  test('rejects when the requested locale is missing or a fallback is broken', async () => {
    const dir = localesDir({ ...CATALOGS, en: '[1, 2]' });
    await assert.rejects(createTranslator({ dir, locale: 'pt' }), (e) => e instanceof CatalogError && e.locale === 'pt');
    await assert.rejects(
      createTranslator({ dir, locale: 'de', fallbackLocales: ['en'] }),
      (e) => e instanceof CatalogError && e.locale === 'en',
    );
  });

  test('a shared loader serves several translators', async () => {
    const loader = new CatalogLoader(localesDir(CATALOGS));
    const [de, en] = await Promise.all([
      createTranslator({ loader, locale: 'de', fallbackLocales: ['en'] }),
      createTranslator({ loader, locale: 'en' }),
    ]);
    assert.equal(de('greeting', { name: 'Jo' }), 'Hallo, Jo!');
    assert.equal(en('cart.items', { count: 5 }), '5 items');
  });
});
