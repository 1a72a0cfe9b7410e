import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, FlagConfigError, createClient, fnv1a32 } from '../src/index.mjs';

const bucketOf = (flagKey, key) => fnv1a32(`${flagKey}:${key}`) % 100;
const users = Array.from({ length: 300 }, (_, i) => `user-${i}`);

function checkoutConfig(fallthrough, rules = []) {
  return {
    flags: {
      checkout: {
        enabled: true,
        variants: { on: true, off: false, beta: 'beta' },
        offVariant: 'off',
        targets: [{ variant: 'beta', values: ['qa-1'] }],
        rules,
        fallthrough,
      },
    },
  };
}

describe('existing evaluation', () => {
  test('targets, rules and fallthrough in order', () => {
    const client = createClient(
      checkoutConfig({ variant: 'off' }, [
        { clauses: [{ attribute: 'country', op: 'in', values: ['DE', 'AT'] }], variant: 'on' },
      ]),
    );
    assert.deepEqual(client.evaluate('checkout', { key: 'qa-1', country: 'DE' }), {
      value: 'beta',
      variant: 'beta',
      reason: 'TARGET_MATCH',
    });
    assert.deepEqual(client.evaluate('checkout', { key: 'u', country: 'AT' }), {
      value: true,
      variant: 'on',
      reason: 'RULE_MATCH',
      ruleIndex: 0,
    });
    assert.equal(client.evaluate('checkout', { key: 'u', country: 'FR' }).reason, 'FALLTHROUGH');
  });

  test('disabled and unknown flags', () => {
    const config = checkoutConfig({ variant: 'on' });
    config.flags.checkout.enabled = false;
    const client = createClient(config);
    assert.equal(client.evaluate('checkout', { key: 'u' }).reason, 'OFF');
    assert.equal(client.value('checkout', { key: 'u' }), false);
    const missing = client.evaluate('nope', { key: 'u' }, 'fallback');
    assert.equal(missing.value, 'fallback');
    assert.equal(missing.errorCode, ErrorCode.FLAG_NOT_FOUND);
  });

  test('bad plain variants are still rejected', () => {
    assert.throws(() => createClient(checkoutConfig({ variant: 'maybe' })), FlagConfigError);
  });
});

describe('percentage rollouts', () => {
  test('fallthrough rollout follows the documented buckets', () => {
    const client = createClient(
      checkoutConfig({ rollout: [{ variant: 'on', weight: 25 }, { variant: 'off', weight: 75 }] }),
    );
    let served = 0;
    for (const key of users) {
      const result = client.evaluate('checkout', { key });
      const expected = bucketOf('checkout', key) < 25 ? 'on' : 'off';
      assert.equal(result.variant, expected, key);
      assert.equal(result.value, expected === 'on');
      assert.equal(result.reason, 'FALLTHROUGH');
      if (expected === 'on') served += 1;
    }
    assert.ok(served > 30 && served < 120, `25% of 300 users, got ${served}`);
  });

  test('rule rollout with three slices keeps ruleIndex', () => {
    const client = createClient(
      checkoutConfig({ variant: 'off' }, [
        { clauses: [{ attribute: 'plan', op: 'eq', values: ['free'] }], variant: 'off' },
        {
          clauses: [{ attribute: 'plan', op: 'eq', values: ['pro'] }],
          rollout: [
            { variant: 'beta', weight: 20 },
            { variant: 'on', weight: 30 },
            { variant: 'off', weight: 50 },
          ],
        },
      ]),
    );
    for (const key of users) {
      const bucket = bucketOf('checkout', key);
      const expected = bucket < 20 ? 'beta' : bucket < 50 ? 'on' : 'off';
      const result = client.evaluate('checkout', { key, plan: 'pro' });
      assert.deepEqual([result.variant, result.reason, result.ruleIndex], [expected, 'RULE_MATCH', 1], key);
    }
    assert.equal(client.evaluate('checkout', { key: 'qa-1', plan: 'pro' }).reason, 'TARGET_MATCH');
  });

  test('buckets depend on the flag key', () => {
    const slices = { rollout: [{ variant: 'on', weight: 50 }, { variant: 'off', weight: 50 }] };
    const config = checkoutConfig(slices);
    config.flags.search = { ...config.flags.checkout, targets: [] };
    const client = createClient(config);
    let differ = 0;
    for (const key of users) {
      const expected = bucketOf('search', key) < 50 ? 'on' : 'off';
      assert.equal(client.evaluate('search', { key }).variant, expected, key);
      if (client.evaluate('checkout', { key }).variant !== expected) differ += 1;
    }
    assert.ok(differ > 0);
  });

  test('zero and full weights', () => {
    const client = createClient(
      checkoutConfig({ rollout: [{ variant: 'on', weight: 0 }, { variant: 'beta', weight: 100 }] }),
    );
    for (const key of users) assert.equal(client.evaluate('checkout', { key }).variant, 'beta');
  });

  test('a rollout without a key is an error with the default value', () => {
    const client = createClient(
      checkoutConfig({ rollout: [{ variant: 'on', weight: 50 }, { variant: 'off', weight: 50 }] }),
    );
    const result = client.evaluate('checkout', { country: 'DE' }, 'default!');
    assert.equal(result.value, 'default!');
    assert.equal(result.reason, 'ERROR');
    assert.equal(result.errorCode, 'MISSING_TARGETING_KEY');
    assert.equal(ErrorCode.MISSING_TARGETING_KEY, 'MISSING_TARGETING_KEY');
  });

  test('invalid rollouts are rejected when the client is created', () => {
    const bad = [
      { rollout: [{ variant: 'on', weight: 50 }, { variant: 'off', weight: 40 }] },
      { rollout: [{ variant: 'on', weight: 60 }, { variant: 'off', weight: 50 }] },
      { rollout: [{ variant: 'nope', weight: 50 }, { variant: 'off', weight: 50 }] },
      { rollout: [{ variant: 'on', weight: 50.5 }, { variant: 'off', weight: 49.5 }] },
      { rollout: [{ variant: 'on', weight: -10 }, { variant: 'off', weight: 110 }] },
      { rollout: [] },
      { variant: 'on', rollout: [{ variant: 'on', weight: 100 }] },
    ];
    for (const fallthrough of bad) {
      assert.throws(() => createClient(checkoutConfig(fallthrough)), FlagConfigError, JSON.stringify(fallthrough));
    }
    const badRule = [{ clauses: [{ attribute: 'a', op: 'eq', values: [1] }], rollout: [{ variant: 'on', weight: 99 }] }];
    assert.throws(() => createClient(checkoutConfig({ variant: 'on' }, badRule)), FlagConfigError);
  });
});
