#!/usr/bin/env node
// mdtable [--csv] < input: print the reformatted table (or the CSV as a table).
// mdtable --lint FILE... : report unformatted tables; with --fix, rewrite the files.
import fs from 'node:fs';
import { TableError, csvToMarkdown, formatTable } from '../src/index.mjs';
import { lintTables } from '../src/lint.mjs';

if (process.argv.includes('--lint')) {
  const fix = process.argv.includes('--fix');
  let failed = false;
  for (const file of process.argv.slice(2).filter((a) => !a.startsWith('--'))) {
    const text = fs.readFileSync(file, 'utf8');
    const { problems, fixed } = lintTables(text);
    for (const p of problems) console.log(`${file}:${p.line}: ${p.message}`);
    if (fix && fixed !== text) fs.writeFileSync(file, fixed);
    failed ||= problems.length > 0 && !fix;
  }
  process.exit(failed ? 1 : 0);
}

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
