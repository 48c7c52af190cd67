import { describe, expect, it } from 'vitest';
import { cellAt, rowCount, toCell } from '../../../collector/drift/cells.js';
import { parseCsv } from '../../../collector/drift/references/csv-table.js';
import { featureOfAttribute, featureOfColumn } from '../../../collector/drift/feature-key.js';
import type { AttributeValue } from '../../../shared/span-record.js';

describe('cells', () => {
  it.each([
    [31, 31],
    [0.5, 0.5],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    ['fr', 'fr'],
    ['', ''],
    [true, 'true'],
    [false, 'false'],
    [null, null],
    [[1, 2], undefined],
    [{ a: 1 }, undefined],
  ] as [AttributeValue, ReturnType<typeof toCell>][])('toCell(%j) is %j', (value, cell) => {
    expect(toCell(value)).toEqual(cell);
  });

  it.each([
    [4, 2, 4],
    [undefined, 3, 3],
    [undefined, undefined, 1],
    [0, 5, 5],
    [2.5, undefined, 1],
    ['4', undefined, 1],
  ] as [AttributeValue | undefined, number | undefined, number][])(
    'rowCount(batch %j, first array %j) is %i',
    (batch, length, rows) => {
      expect(rowCount(batch, length)).toBe(rows);
    },
  );

  it.each([
    [[1, 2, 3], 1, 2],
    [[1, 2, 3], 3, undefined],
    [7, 0, 7],
    [7, 1, undefined],
    [undefined, 0, null],
    [['a', null], 1, null],
  ] as [AttributeValue | undefined, number, ReturnType<typeof cellAt>][])(
    'cellAt(%j, row %i) is %j',
    (value, row, cell) => {
      expect(cellAt(value, row)).toEqual(cell);
    },
  );
});

describe('feature names', () => {
  it.each([
    ['ml.input.age', 'input.age'],
    ['ml.output.label', 'output.label'],
    ['ml.input.', undefined],
    ['ml.model.name', undefined],
    ['http.route', undefined],
  ])('attribute %s is the feature %s', (key, feature) => {
    expect(featureOfAttribute(key)).toBe(feature);
  });

  it.each([
    ['age', 'input.age'],
    [' age ', 'input.age'],
    ['input.age', 'input.age'],
    ['ml.input.age', 'input.age'],
    ['output.label', 'output.label'],
    ['ml.output.label', 'output.label'],
    ['features.0', 'input.features.0'],
    ['', undefined],
  ])('column %j is the feature %s', (column, feature) => {
    expect(featureOfColumn(column)).toBe(feature);
  });
});

describe('parseCsv', () => {
  it.each([
    [
      'a,b\n1,2\n3,4\n',
      ['a', 'b'],
      [
        ['1', '2'],
        ['3', '4'],
      ],
    ],
    [
      'a,b\r\n1,2\r\n3,4',
      ['a', 'b'],
      [
        ['1', '2'],
        ['3', '4'],
      ],
    ],
    ['\ufeffa;b\n1;2\n', ['a', 'b'], [['1', '2']]],
    ['a\tb\n1\t2\n', ['a', 'b'], [['1', '2']]],
    ['name,note\n"Smith, J","said ""hi"""\n', ['name', 'note'], [['Smith, J', 'said "hi"']]],
    ['a,b\n"line\nbreak",2\n', ['a', 'b'], [['line\nbreak', '2']]],
    ['a,b\n,\n', ['a', 'b'], [['', '']]],
    ['only\nx\ny\n', ['only'], [['x'], ['y']]],
  ])('reads %j', (text, header, rows) => {
    expect(parseCsv(text)).toEqual({ ok: true, header, rows });
  });

  it.each([
    ['', /empty/],
    ['a,b\n1,2,3\n', /line 2 has 3 fields but the header has 2/],
    ['a,b\n"x\n1,2\n', /line 2: a quoted field is never closed/],
    ['a,b\n"x"y,2\n', /line 2: unexpected text after a closing quote/],
    ['a,b\n1,2\n\n3,4\n', /line 3 is empty/],
    ['a,b\n"multi\nline",2\n1,2,3\n', /line 4 has 3 fields/],
  ])('refuses %j', (text, message) => {
    const r = parseCsv(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
