import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  InvalidRangeError,
  compareVersions,
  maxSatisfying,
  satisfies,
  sortVersions,
} from '../src/index.mjs';

describe('versions', () => {
  test('pre-releases order by their identifiers', () => {
    assert.deepEqual(
      sortVersions(['1.0.0', '1.0.0-beta.11', '1.0.0-alpha', '1.0.0-beta.2', '1.0.0-alpha.1']),
      ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0'],
    );
    assert.equal(compareVersions('2.0.0', '10.0.0'), -1);
  });
});

describe('other ranges', () => {
  test('tilde allows patch updates only', () => {
    assert.equal(satisfies('1.2.9', '~1.2.3'), true);
    assert.equal(satisfies('1.3.0', '~1.2.3'), false);
    assert.equal(satisfies('0.2.9', '~0.2.3'), true);
  });

  test('x-ranges, hyphens and unions', () => {
    assert.equal(satisfies('1.4.0', '1.x'), true);
    assert.equal(satisfies('2.0.0', '1.x'), false);
    assert.equal(satisfies('2.3.4', '1.2.3 - 2.3.4'), true);
    assert.equal(satisfies('2.3.5', '1.2.3 - 2.3'), true);
    assert.equal(satisfies('2.4.0', '1.2.3 - 2.3'), false);
    assert.equal(satisfies('3.1.0', '<1.0.0 || >=3.0.0'), true);
    assert.equal(maxSatisfying(['1.2.0', '1.9.9', '2.0.0'], '~1.2 || ^1.9'), '1.9.9');
  });

  test('pre-releases need an opt-in comparator', () => {
    assert.equal(satisfies('1.3.0-beta.1', '^1.2.0'), false);
    assert.equal(satisfies('1.2.0-beta.3', '>=1.2.0-beta.1 <2.0.0'), true);
  });

  test('malformed ranges are rejected', () => {
    assert.throws(() => satisfies('1.0.0', '^one'), InvalidRangeError);
  });
});
