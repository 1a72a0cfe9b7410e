#!/usr/bin/env node
// reconcile LOG.ndjson TOTALS.json: fold the log and compare balances with the ledger.
import fs from 'node:fs';
import { EventStore, parseLog } from '../src/index.mjs';
import { formatMismatches, reconcileBalances } from '../src/reconcile.mjs';

const [logFile, totalsFile] = process.argv.slice(2);
if (!logFile || !totalsFile) {
  console.error('usage: reconcile LOG.ndjson TOTALS.json');
  process.exit(2);
}
const store = new EventStore().ingest(parseLog(fs.readFileSync(logFile, 'utf8')));
const mismatches = reconcileBalances(store.state('balances'), JSON.parse(fs.readFileSync(totalsFile, 'utf8')));
console.log(formatMismatches(mismatches));
process.exit(mismatches.length ? 1 : 0);
