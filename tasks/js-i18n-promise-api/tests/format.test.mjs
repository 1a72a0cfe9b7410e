import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fallbackChain, formatMessage } from '../src/index.mjs';

test('placeholders and plurals format synchronously', () => {
  const template = '{count, plural, =0 {No items} one {# item for {name}} other {# items for {name}}}';
  assert.equal(formatMessage(template, { count: 0, name: 'Al' }), 'No items');
  assert.equal(formatMessage(template, { count: 1, name: 'Al' }), '1 item for Al');
  assert.equal(formatMessage(template, { count: 12, name: 'Al' }), '12 items for Al');
  assert.equal(formatMessage('Hi {who}, {missing}', { who: 'you' }), 'Hi you, {missing}');
});

test('fallback chains', () => {
  assert.deepEqual(fallbackChain('de-AT', ['en']), ['de-AT', 'de', 'en']);
  assert.deepEqual(fallbackChain('en', ['en']), ['en']);
});
