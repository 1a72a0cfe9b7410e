#!/usr/bin/env node
// replay LOG.ndjson [PROJECTION]: fold the log and print one projection as JSON.
import fs from 'node:fs';
import { EventStore, parseLog } from '../src/index.mjs';

const [file, projection = 'balances'] = process.argv.slice(2);
if (!file) {
  console.error('usage: replay LOG.ndjson [balances|dailyVolume]');
  process.exit(2);
}
const store = new EventStore().ingest(parseLog(fs.readFileSync(file, 'utf8')));
console.log(JSON.stringify(store.state(projection), null, 2));
