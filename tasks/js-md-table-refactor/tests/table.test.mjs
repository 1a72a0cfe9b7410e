import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as mdtable from '../src/index.mjs';

const { TableError, csvToMarkdown, formatTable } = mdtable;

const messy = [
  '|a|b|  center col |',
  '|:-|-:|:-:|',
  '| long cell | 2 | x |',
  '| pipe \\| here | 12345 |',
].join('\n');

const tidy = [
  '| a            |     b | center col |',
  '|:-------------|------:|:----------:|',
  '| long cell    |     2 |     x      |',
  '| pipe \\| here | 12345 |            |',
].join('\n');

describe('formatTable (unchanged behaviour)', () => {
  test('aligns, pads and keeps escaped pipes', () => {
    assert.equal(formatTable(messy), tidy);
    assert.equal(formatTable(tidy), tidy);
  });

  test('drops extra cells and handles unaligned columns', () => {
    const out = formatTable('x | y\n--- | ---\n1 | 2 | 3\n');
    assert.equal(out, '| x   | y   |\n|-----|-----|\n| 1   | 2   |');
  });

  test('malformed tables throw TableError', () => {
    assert.throws(() => formatTable('| a | b |'), TableError);
    assert.throws(() => formatTable('| a | b |\n| x | y |'), TableError);
  });
});

describe('parseTable', () => {
  test('returns the table model with plain-text cells', () => {
    assert.deepEqual(mdtable.parseTable(messy), {
      header: ['a', 'b', 'center col'],
      align: ['left', 'right', 'center'],
      rows: [
        ['long cell', '2', 'x'],
        ['pipe | here', '12345', ''],
      ],
    });
  });

  test('unaligned columns are null and malformed input throws', () => {
    assert.deepEqual(mdtable.parseTable('a|b\n-|-').align, [null, null]);
    assert.throws(() => mdtable.parseTable('just text'), TableError);
  });
});

describe('renderTable', () => {
  test('round-trips parseTable', () => {
    assert.equal(mdtable.renderTable(mdtable.parseTable(messy)), tidy);
  });

  test('renders a model built in code', () => {
    const out = mdtable.renderTable({
      header: ['name', 'qty'],
      align: [null, 'right'],
      rows: [['a|b', '7'], ['multi\nline']],
    });
    assert.equal(
      out,
      [
        '| name       | qty |',
        '|------------|----:|',
        '| a\\|b       |   7 |',
        '| multi line |     |',
      ].join('\n'),
    );
  });

  test('missing align means no alignment', () => {
    assert.equal(
      mdtable.renderTable({ header: ['k', 'v'], rows: [['1', '2']] }),
      '| k   | v   |\n|-----|-----|\n| 1   | 2   |',
    );
  });
});

describe('csvToMarkdown', () => {
  test('uses the same layout as formatTable', () => {
    const csv = 'sku,name,price\r\nA-1,"Widget, large",9.50\r\nB-22,"say ""hi"" | bye",12\r\n';
    assert.equal(
      csvToMarkdown(csv),
      [
        '| sku  | name            | price |',
        '|------|-----------------|-------|',
        '| A-1  | Widget, large   | 9.50  |',
        '| B-22 | say "hi" \\| bye | 12    |',
      ].join('\n'),
    );
  });

  test('newlines in quoted values become spaces', () => {
    assert.equal(csvToMarkdown('h\n"a\nb"\n'), '| h   |\n|-----|\n| a b |');
  });
});
