import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { maxSatisfying, satisfies } from '../src/index.mjs';

const allowed = (range, versions) => versions.filter((v) => satisfies(v, range));

describe('caret ranges', () => {
  test('major above zero allows minor and patch updates', () => {
    assert.deepEqual(allowed('^1.2.3', ['1.2.2', '1.2.3', '1.9.0', '2.0.0', '2.0.0-rc.1']), [
      '1.2.3',
      '1.9.0',
    ]);
  });

  test('zero major pins the minor version', () => {
    assert.deepEqual(allowed('^0.2.3', ['0.2.2', '0.2.3', '0.2.99', '0.3.0', '1.0.0']), [
      '0.2.3',
      '0.2.99',
    ]);
  });

  test('zero major and minor pin the patch version', () => {
    assert.deepEqual(allowed('^0.0.3', ['0.0.2', '0.0.3', '0.0.4', '0.1.0']), ['0.0.3']);
  });

  test('partial versions after a caret act as wildcards', () => {
    assert.deepEqual(allowed('^0.x', ['0.0.1', '0.9.9', '1.0.0']), ['0.0.1', '0.9.9']);
    assert.deepEqual(allowed('^0.0', ['0.0.0', '0.0.9', '0.1.0']), ['0.0.0', '0.0.9']);
    assert.deepEqual(allowed('^1', ['0.9.0', '1.0.0', '1.5.0', '2.0.0']), ['1.0.0', '1.5.0']);
    assert.deepEqual(allowed('^0.1', ['0.0.9', '0.1.0', '0.1.7', '0.2.0']), ['0.1.0', '0.1.7']);
  });

  test('zero major pre-releases stay inside the pinned minor', () => {
    assert.equal(satisfies('0.2.4-beta.1', '^0.2.4-beta.0'), true);
    assert.equal(satisfies('0.3.0-beta.1', '^0.2.4-beta.0'), false);
    assert.equal(satisfies('0.2.5', '^0.2.4-beta.0'), true);
  });

  test('maxSatisfying picks within the pinned minor for 0.x', () => {
    const published = ['0.1.0', '0.1.9', '0.2.0', '0.2.7', '0.3.1', '1.0.0'];
    assert.equal(maxSatisfying(published, '^0.2.0'), '0.2.7');
    assert.equal(maxSatisfying(published, '^0.1.4 || ^0.3.0'), '0.3.1');
    assert.equal(maxSatisfying(['0.0.1', '0.0.2'], '^0.0.1'), '0.0.1');
  });
});
