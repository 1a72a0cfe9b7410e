// Projections: pure reducers (state, event) -> state, one per read model.

function balances(state, event) {
  const account = state[event.stream];
  switch (event.type) {
    case 'AccountOpened':
      if (account) return state;
      return {
        ...state,
        [event.stream]: { balance: 0, status: 'open', currency: event.data?.currency ?? null, seq: event.seq },
      };
    case 'Deposited':
    case 'Withdrawn': {
      if (!account || account.status !== 'open') return state; // the ledger's rule
      const sign = event.type === 'Deposited' ? 1 : -1;
      return {
        ...state,
        [event.stream]: { ...account, balance: account.balance + sign * event.data.amount, seq: event.seq },
      };
    }
    case 'AccountClosed':
      if (!account) return state;
      return { ...state, [event.stream]: { ...account, status: 'closed', seq: event.seq } };
    default:
      return state;
  }
}

/** The calendar day an event belongs to in reports. */
export function reportingDay(at) {
  return at.slice(0, 10);
}

function dailyVolume(state, event) {
  const day = reportingDay(event.at);
  const bucket = state[day] ?? { deposits: 0, withdrawals: 0, events: 0 };
  const next = { ...bucket, events: bucket.events + 1 };
  if (event.type === 'Deposited') next.deposits += event.data.amount;
  if (event.type === 'Withdrawn') next.withdrawals += event.data.amount;
  return { ...state, [day]: next };
}

export const PROJECTIONS = Object.freeze({ balances, dailyVolume });
