// Reconciliation: the balances projection against the ledger's own account totals.

/**
 * Accounts whose projected balance differs from the ledger (`{ account: cents }`),
 * sorted by account id. Accounts missing on either side count as 0 there.
 */
export function reconcileBalances(balances, ledgerTotals) {
  const accounts = new Set([...Object.keys(balances), ...Object.keys(ledgerTotals)]);
  const mismatches = [];
  for (const account of [...accounts].sort()) {
    const projected = balances[account]?.balance ?? 0;
    const ledger = ledgerTotals[account] ?? 0;
    if (projected !== ledger) mismatches.push({ account, projected, ledger, diff: projected - ledger });
  }
  return mismatches;
}

export function formatMismatches(mismatches) {
  if (mismatches.length === 0) return 'all accounts reconcile';
  const lines = mismatches.map(
    (m) => `${m.account}: projected ${m.projected}, ledger ${m.ledger} (${m.diff > 0 ? '+' : ''}${m.diff})`,
  );
  return `${mismatches.length} account(s) differ\n${lines.join('\n')}`;
}
