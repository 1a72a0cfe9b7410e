// CSV export -> Markdown table. Written before format.mjs existed, with its own
// (simpler) printing.
import { parseCsv } from './csv.mjs';
import { TableError } from './errors.mjs';

export function csvToMarkdown(csvText) {
  const records = parseCsv(csvText);
  if (records.length === 0) throw new TableError('empty CSV: nothing to convert');
  const [header, ...rows] = records;
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.map((c) => c.replace(/\n/g, ' ')).join(' | ')} |`),
  ];
  return lines.join('\n');
}
