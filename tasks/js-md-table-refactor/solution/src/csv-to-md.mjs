// CSV export -> Markdown table, printed by the same renderer as formatTable.
import { parseCsv } from './csv.mjs';
import { TableError } from './errors.mjs';
import { renderTable } from './table.mjs';

export function csvToMarkdown(csvText) {
  const records = parseCsv(csvText);
  if (records.length === 0) throw new TableError('empty CSV: nothing to convert');
  const [header, ...rows] = records;
  return renderTable({ header, align: header.map(() => null), rows });
}
