// Builders shared by the hidden tests.
export function ev(id, stream, seq, type, at, amount) {
  const data = type === 'AccountOpened' ? { currency: 'EUR' } : amount ? { amount } : {};
  return { id, stream, seq, type, at, data };
}

/** Two accounts over two days, in ledger order. */
export function ledger() {
  return [
    ev('a1', 'acct-1', 1, 'AccountOpened', '2024-03-01T08:00:00Z'),
    ev('a2', 'acct-1', 2, 'Deposited', '2024-03-01T09:00:00Z', 5000),
    ev('b1', 'acct-2', 1, 'AccountOpened', '2024-03-01T09:30:00Z'),
    ev('a3', 'acct-1', 3, 'Withdrawn', '2024-03-01T10:00:00Z', 1200),
    ev('b2', 'acct-2', 2, 'Deposited', '2024-03-01T11:00:00Z', 700),
    ev('a4', 'acct-1', 4, 'Deposited', '2024-03-02T07:00:00Z', 300),
    ev('b3', 'acct-2', 3, 'AccountClosed', '2024-03-02T08:00:00Z'),
    ev('a5', 'acct-1', 5, 'Withdrawn', '2024-03-02T09:00:00Z', 100),
  ];
}

export const EXPECTED_BALANCES = {
  'acct-1': { balance: 4000, status: 'open', currency: 'EUR', seq: 5 },
  'acct-2': { balance: 700, status: 'closed', currency: 'EUR', seq: 3 },
};

export const EXPECTED_DAILY = {
  '2024-03-01': { deposits: 5700, withdrawals: 1200, events: 5 },
  '2024-03-02': { deposits: 300, withdrawals: 100, events: 3 },
};

/** A fixed permutation (no randomness): reverses pairs and interleaves. */
export function shuffled(events) {
  const order = [5, 2, 7, 0, 6, 3, 1, 4];
  return order.filter((i) => i < events.length).map((i) => events[i]);
}
