// Reformat one Markdown pipe table. Grew one feature at a time; it works, but it
// reads, measures and prints in a single pass that nothing else can reuse.
import { TableError } from './errors.mjs';

export function formatTable(text) {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length < 2) throw new TableError('a table needs a header row and a delimiter row');
  const cellsOf = (line) => {
    let body = line.trim();
    if (body.startsWith('|')) body = body.slice(1);
    if (body.endsWith('|') && !body.endsWith('\\|')) body = body.slice(0, -1);
    const cells = [];
    let current = '';
    for (let i = 0; i < body.length; i += 1) {
      if (body[i] === '\\' && body[i + 1] === '|') {
        current += '\\|';
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
  };
  const header = cellsOf(lines[0]);
  const delimiter = cellsOf(lines[1]);
  if (delimiter.length !== header.length || !delimiter.every((c) => /^:?-+:?$/.test(c))) {
    throw new TableError('the second line must be a delimiter row like |---|:--:|');
  }
  const aligns = delimiter.map((c) => {
    if (c.startsWith(':') && c.endsWith(':')) return 'center';
    if (c.endsWith(':')) return 'right';
    if (c.startsWith(':')) return 'left';
    return null;
  });
  const rows = lines.slice(2).map((line) => {
    const cells = cellsOf(line).slice(0, header.length);
    while (cells.length < header.length) cells.push('');
    return cells;
  });
  const widths = header.map((h, i) =>
    Math.max(3, h.length, ...rows.map((row) => row[i].length)),
  );
  const out = [];
  out.push(
    '| ' +
      header
        .map((h, i) => {
          const gap = widths[i] - h.length;
          if (aligns[i] === 'right') return ' '.repeat(gap) + h;
          if (aligns[i] === 'center') {
            return ' '.repeat(Math.floor(gap / 2)) + h + ' '.repeat(gap - Math.floor(gap / 2));
          }
          return h + ' '.repeat(gap);
        })
        .join(' | ') +
      ' |',
  );
  out.push(
    '|' +
      aligns
        .map((a, i) => {
          if (a === 'center') return ':' + '-'.repeat(widths[i]) + ':';
          if (a === 'right') return '-'.repeat(widths[i] + 1) + ':';
          if (a === 'left') return ':' + '-'.repeat(widths[i] + 1);
          return '-'.repeat(widths[i] + 2);
        })
        .join('|') +
      '|',
  );
  for (const row of rows) {
    out.push(
      '| ' +
        row
          .map((cell, i) => {
            const gap = widths[i] - cell.length;
            if (aligns[i] === 'right') return ' '.repeat(gap) + cell;
            if (aligns[i] === 'center') {
              const left = Math.floor(gap / 2);
              return ' '.repeat(left) + cell + ' '.repeat(gap - left);
            }
            return cell + ' '.repeat(gap);
          })
          .join(' | ') +
        ' |',
    );
  }
  return out.join('\n');
}
