#!/usr/bin/env node
// mdtable [--csv] < input: print the reformatted table (or the CSV as a table).
import { TableError, csvToMarkdown, formatTable } from '../src/index.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString('utf8');
try {
  const output = process.argv.includes('--csv') ? csvToMarkdown(input) : formatTable(input);
  process.stdout.write(`${output}\n`);
} catch (error) {
  if (!(error instanceof TableError)) throw error;
  process.stderr.write(`mdtable: ${error.message}\n`);
  process.exit(1);
}
