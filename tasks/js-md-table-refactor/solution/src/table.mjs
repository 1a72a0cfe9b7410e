// The table model shared by every entry point: parse Markdown into it, render it back.
//
//   { header: string[], align: Array<'left' | 'right' | 'center' | null>, rows: string[][] }
//
// Cells hold plain text: `\|` in Markdown is `|` in a cell, and rendering escapes it.
import { TableError } from './errors.mjs';

const MIN_WIDTH = 3;

function splitRow(line) {
  let body = line.trim();
  if (body.startsWith('|')) body = body.slice(1);
  if (body.endsWith('|') && !body.endsWith('\\|')) body = body.slice(0, -1);
  const cells = [];
  let current = '';
  for (let i = 0; i < body.length; i += 1) {
    if (body[i] === '\\' && body[i + 1] === '|') {
      current += '|';
      i += 1;
    } else if (body[i] === '|') {
      cells.push(current.trim());
      current = '';
    } else {
      current += body[i];
    }
  }
  cells.push(current.trim());
  return cells;
}

function alignOf(delimiterCell) {
  const left = delimiterCell.startsWith(':');
  const right = delimiterCell.endsWith(':');
  if (left && right) return 'center';
  if (right) return 'right';
  if (left) return 'left';
  return null;
}

function fitRow(cells, width) {
  const row = cells.slice(0, width);
  while (row.length < width) row.push('');
  return row;
}

export function parseTable(text) {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) throw new TableError('a table needs a header row and a delimiter row');
  const header = splitRow(lines[0]);
  const delimiter = splitRow(lines[1]);
  if (delimiter.length !== header.length || !delimiter.every((c) => /^:?-+:?$/.test(c))) {
    throw new TableError('the second line must be a delimiter row like |---|:--:|');
  }
  return {
    header,
    align: delimiter.map(alignOf),
    rows: lines.slice(2).map((line) => fitRow(splitRow(line), header.length)),
  };
}

const toMarkdownCell = (cell) => String(cell).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');

function pad(text, width, align) {
  const gap = width - text.length;
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') {
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + text + ' '.repeat(gap - left);
  }
  return text + ' '.repeat(gap);
}

function delimiterCell(align, width) {
  if (align === 'center') return `:${'-'.repeat(width)}:`;
  if (align === 'right') return `${'-'.repeat(width + 1)}:`;
  if (align === 'left') return `:${'-'.repeat(width + 1)}`;
  return '-'.repeat(width + 2);
}

export function renderTable({ header, align = [], rows = [] }) {
  if (!Array.isArray(header) || header.length === 0) {
    throw new TableError('a table needs at least one header cell');
  }
  const columns = header.length;
  const aligns = fitRow(align, columns).map((a) => (a === '' ? null : a));
  const head = header.map(toMarkdownCell);
  const body = rows.map((row) => fitRow(row, columns).map(toMarkdownCell));
  const widths = head.map((h, i) => Math.max(MIN_WIDTH, h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => pad(c, widths[i], aligns[i])).join(' | ')} |`;
  return [
    line(head),
    `|${aligns.map((a, i) => delimiterCell(a, widths[i])).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}
