// The docs linter's table pass: find pipe tables in a Markdown document and report
// (or fix) the ones that are not formatted. Fenced code blocks are left alone.
import { TableError } from './errors.mjs';
import { formatTable } from './format.mjs';

const FENCE_RE = /^\s{0,3}(```|~~~)/;
const ROW_RE = /^\s*\|.*\|\s*$|^[^|]*\|/;
const DELIMITER_RE = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** Tables as { start, end } line ranges (end exclusive), in document order. */
export function findTables(lines) {
  const tables = [];
  let inFence = false;
  for (let i = 0; i < lines.length; i += 1) {
    if (FENCE_RE.test(lines[i])) {
      inFence = !inFence;
      continue;
    }
    if (inFence || !ROW_RE.test(lines[i]) || !DELIMITER_RE.test(lines[i + 1] ?? '')) continue;
    let end = i + 2;
    while (end < lines.length && lines[end].trim() !== '' && ROW_RE.test(lines[end])) end += 1;
    tables.push({ start: i, end });
    i = end - 1;
  }
  return tables;
}

/** Lint one document: the problems found and the fixed text. */
export function lintTables(markdown) {
  const lines = markdown.split('\n');
  const problems = [];
  const out = [];
  let cursor = 0;
  for (const { start, end } of findTables(lines)) {
    out.push(...lines.slice(cursor, start));
    const original = lines.slice(start, end).join('\n');
    try {
      const formatted = formatTable(original);
      if (formatted !== original) problems.push({ line: start + 1, message: 'table is not formatted' });
      out.push(...formatted.split('\n'));
    } catch (error) {
      if (!(error instanceof TableError)) throw error;
      problems.push({ line: start + 1, message: error.message });
      out.push(...lines.slice(start, end));
    }
    cursor = end;
  }
  out.push(...lines.slice(cursor));
  return { problems, fixed: out.join('\n') };
}
