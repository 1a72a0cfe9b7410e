export { TableError } from './errors.mjs';
export { parseCsv } from './csv.mjs';
export { csvToMarkdown } from './csv-to-md.mjs';
export { formatTable } from './format.mjs';
