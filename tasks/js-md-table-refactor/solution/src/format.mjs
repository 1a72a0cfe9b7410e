// Reformat one Markdown pipe table: parse it into the table model and render it back.
import { parseTable, renderTable } from './table.mjs';

export function formatTable(text) {
  return renderTable(parseTable(text));
}
