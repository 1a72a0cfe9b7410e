import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventFormatError, EventStore, parseLog } from '../src/index.mjs';
import { EXPECTED_BALANCES, EXPECTED_DAILY, ev, ledger, shuffled } from './helpers.mjs';

const project = (...batches) => {
  const store = new EventStore();
  for (const batch of batches) store.ingest(batch);
  return store;
};

describe('in-order delivery', () => {
  test('folds balances and daily volume', () => {
    const store = project(ledger());
    assert.deepEqual(store.state('balances'), EXPECTED_BALANCES);
    assert.deepEqual(store.state('dailyVolume'), EXPECTED_DAILY);
  });

  test('parseLog reports the line of a malformed event', () => {
    const lines = ledger().map((e) => JSON.stringify(e));
    lines.splice(2, 0, '', '{"id": "x", "stream": "s", "seq": 0}');
    assert.throws(() => parseLog(lines.join('\n')), (error) => error instanceof EventFormatError && error.line === 4);
    assert.equal(parseLog(ledger().map((e) => JSON.stringify(e)).join('\n')).length, 8);
  });

  test('money moves on a closed account are ignored', () => {
    const events = [...ledger(), ev('b4', 'acct-2', 4, 'Deposited', '2024-03-02T10:00:00Z', 999)];
    assert.equal(project(events).state('balances')['acct-2'].balance, 700);
  });
});

describe('at-least-once delivery', () => {
  test('redeliveries in later batches are ignored', () => {
    const events = ledger();
    const store = project(events.slice(0, 5), events.slice(2, 8), events.slice(0, 3));
    assert.deepEqual(store.state('balances'), EXPECTED_BALANCES);
    assert.deepEqual(store.state('dailyVolume'), EXPECTED_DAILY);
  });

  test('duplicates inside one batch are ignored', () => {
    const events = ledger();
    const store = project([...events, events[1], events[4], events[1]]);
    assert.deepEqual(store.state('balances'), EXPECTED_BALANCES);
  });

  test('a reordered batch is replayed in seq order', () => {
    const store = project(shuffled(ledger()));
    assert.deepEqual(store.state('balances'), EXPECTED_BALANCES);
    assert.deepEqual(store.state('dailyVolume'), EXPECTED_DAILY);
  });

  test('seq order wins over timestamps written with other offsets', () => {
    const store = project([
      ev('m2', 'acct-5', 2, 'Deposited', '2024-03-01T09:00:00Z', 250),
      ev('m1', 'acct-5', 1, 'AccountOpened', '2024-03-01T10:00:00+02:00'),
      ev('m3', 'acct-5', 3, 'AccountClosed', '2024-03-01T09:30:00Z'),
    ]);
    assert.deepEqual(store.state('balances')['acct-5'], { balance: 250, status: 'closed', currency: 'EUR', seq: 3 });
  });

  test('later seqs wait for a missing earlier one, across batches', () => {
    const events = ledger();
    const acct1 = events.filter((e) => e.stream === 'acct-1');
    const acct2 = events.filter((e) => e.stream === 'acct-2');
    const store = new EventStore();
    store.ingest([acct1[1], acct1[2], ...acct2]); // acct-1 seq 1 is missing
    assert.equal(store.state('balances')['acct-1'], undefined);
    assert.deepEqual(store.state('balances')['acct-2'], EXPECTED_BALANCES['acct-2']);
    assert.equal(store.state('dailyVolume')['2024-03-01'].deposits, 700);
    store.ingest([acct1[0]]);
    assert.deepEqual(store.state('balances')['acct-1'], { balance: 3800, status: 'open', currency: 'EUR', seq: 3 });
    store.ingest([acct1[4], acct1[3]]);
    assert.deepEqual(store.state('balances'), EXPECTED_BALANCES);
    assert.deepEqual(store.state('dailyVolume'), EXPECTED_DAILY);
  });
});

describe('reporting days', () => {
  test('daily volume uses the UTC date', () => {
    const store = project([
      ev('x1', 'acct-9', 1, 'AccountOpened', '2024-02-29T20:00:00-05:00'),
      ev('x2', 'acct-9', 2, 'Deposited', '2024-03-01T00:30:00+02:00', 100),
      ev('x3', 'acct-9', 3, 'Deposited', '2024-03-01T23:30:00-02:00', 40),
      ev('x4', 'acct-9', 4, 'Withdrawn', '2024-03-01T12:00:00Z', 15),
    ]);
    assert.deepEqual(store.state('dailyVolume'), {
      '2024-02-29': { deposits: 100, withdrawals: 0, events: 1 },
      '2024-03-01': { deposits: 0, withdrawals: 15, events: 2 },
      '2024-03-02': { deposits: 40, withdrawals: 0, events: 1 },
    });
  });
});

describe('snapshots', () => {
  test('restore then full re-read equals the uninterrupted store', () => {
    const events = ledger();
    const delivered = [shuffled(events).slice(0, 4), [events[1], ...shuffled(events).slice(4)]];
    for (let cut = 0; cut <= delivered.length; cut += 1) {
      const live = new EventStore();
      delivered.slice(0, cut).forEach((batch) => live.ingest(batch));
      const snapshot = JSON.parse(JSON.stringify(live.snapshot()));
      const restored = EventStore.fromSnapshot(snapshot);
      restored.ingest(events);
      assert.deepEqual(restored.state('balances'), EXPECTED_BALANCES, `snapshot after ${cut} batches`);
      assert.deepEqual(restored.state('dailyVolume'), EXPECTED_DAILY, `snapshot after ${cut} batches`);
    }
  });

  test('a restored store keeps handling new deliveries', () => {
    const events = ledger();
    const live = project(events.slice(0, 5));
    const restored = EventStore.fromSnapshot(JSON.parse(JSON.stringify(live.snapshot())));
    restored.ingest([events[7], events[1]]); // acct-1 seq 5 arrives before seq 4
    assert.equal(restored.state('balances')['acct-1'].seq, 3);
    assert.equal(restored.state('balances')['acct-1'].balance, 3800);
    restored.ingest([events[6], events[5], events[7]]);
    assert.deepEqual(restored.state('balances'), EXPECTED_BALANCES);
    assert.deepEqual(restored.state('dailyVolume'), EXPECTED_DAILY);
  });
});
