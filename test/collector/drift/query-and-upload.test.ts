import { describe, expect, it } from 'vitest';
import { parseDriftQuery, type RawDriftQuery } from '../../../collector/drift/drift-query.js';
import { columnsFromCsv, columnsFromJson } from '../../../collector/drift/references/reference-upload.js';

const NOW = Date.parse('2026-01-10T12:00:00Z');
const limits = { maxFeatures: 3, categorical: new Set<string>() };

describe('parseDriftQuery', () => {
  it.each([
    [
      { model: 'm' },
      { model: 'm', range: { startMs: NOW - 3_600_000, endMs: NOW }, reference: { kind: 'default' }, exemplars: 3 },
    ],
    [
      { model: 'm', window: '15m', version: '2' },
      {
        model: 'm',
        version: '2',
        range: { startMs: NOW - 900_000, endMs: NOW },
        reference: { kind: 'default' },
        exemplars: 3,
      },
    ],
    [
      { model: 'm', start: '2026-01-10T10:00:00Z', end: '2026-01-10T11:00:00Z', reference: 'previous', exemplars: '0' },
      {
        model: 'm',
        range: { startMs: NOW - 7_200_000, endMs: NOW - 3_600_000 },
        reference: { kind: 'previous' },
        exemplars: 0,
      },
    ],
    [
      { model: 'm', reference: 'window:1000/2000' },
      {
        model: 'm',
        range: { startMs: NOW - 3_600_000, endMs: NOW },
        reference: { kind: 'window', range: { startMs: 1000, endMs: 2000 } },
        exemplars: 3,
      },
    ],
    [
      { model: 'm', slice: 'ml.model.version', reference: 'slice:1' },
      {
        model: 'm',
        slice: 'ml.model.version',
        range: { startMs: NOW - 3_600_000, endMs: NOW },
        reference: { kind: 'slice', value: '1' },
        exemplars: 3,
      },
    ],
    [
      { model: 'm', reference: 'training' },
      { model: 'm', range: { startMs: NOW - 3_600_000, endMs: NOW }, reference: { kind: 'training' }, exemplars: 3 },
    ],
  ] as [RawDriftQuery, unknown][])('%j', (raw, query) => {
    expect(parseDriftQuery(raw, NOW, 50)).toEqual({ ok: true, query });
  });

  it.each([
    [{}, 'model', /model is required/],
    [{ model: 'm', window: 'soon' }, 'window', /window must be a duration/],
    [{ model: 'm', start: 'yesterday' }, 'start', /start must be epoch milliseconds/],
    [{ model: 'm', start: '2000', end: '1000' }, 'start', /must be before end/],
    [{ model: 'm', start: '1000', window: '1h' }, 'window', /either window or start/],
    [{ model: 'm', reference: 'last-week' }, 'reference', /previous, training, window/],
    [{ model: 'm', reference: 'window:2000/1000' }, 'reference', /must be before its end/],
    [{ model: 'm', reference: 'window:abc' }, 'reference', /window:<start>\/<end>/],
    [{ model: 'm', reference: 'slice:1' }, 'reference', /give slice=/],
    [{ model: 'm', slice: ' ' }, 'slice', /must name a span attribute/],
    [{ model: 'm', exemplars: '51' }, 'exemplars', /from 0 to 50/],
    [{ model: 'm', exemplars: '-1' }, 'exemplars', /whole number/],
  ] as [RawDriftQuery, string, RegExp][])('refuses %j naming %s', (raw, parameter, message) => {
    const r = parseDriftQuery(raw, NOW, 50);
    expect(r).toMatchObject({ ok: false, parameter });
    if (!r.ok) expect(r.message).toMatch(message);
  });
});

describe('reference uploads', () => {
  it('reads CSV columns: numbers, categories, missing markers, forced categorical columns', () => {
    const csv = 'age,country,zip\n31,fr,75001\n,de,NA\n45.5,N/A,10115\n';
    const r = columnsFromCsv(csv, { ...limits, categorical: new Set(['zip']) });
    expect(r).toEqual({
      ok: true,
      upload: {
        rows: 3,
        columns: new Map([
          ['input.age', [31, null, 45.5]],
          ['input.country', ['fr', 'de', null]],
          ['input.zip', ['75001', null, '10115']],
        ]),
      },
    });
  });

  it('makes a column with any non-number text categorical, keeping the text as written', () => {
    const r = columnsFromCsv('output.label,score\n1,0.5\nunknown,1e-3\n', limits);
    expect(r).toEqual({
      ok: true,
      upload: {
        rows: 2,
        columns: new Map([
          ['output.label', ['1', 'unknown']],
          ['input.score', [0.5, 0.001]],
        ]),
      },
    });
  });

  it.each([
    [
      [
        { age: 31, ok: true },
        { age: null, country: 'fr' },
      ],
      2,
      [
        ['input.age', [31, null]],
        ['input.ok', ['true', null]],
        ['input.country', [null, 'fr']],
      ],
    ],
    [
      { features: { age: [1, 2, 3], 'output.label': ['a'] } },
      3,
      [
        ['input.age', [1, 2, 3]],
        ['output.label', ['a']],
      ],
    ],
    [[{ x: Number.NaN }], 1, [['input.x', [null]]]],
  ] as [unknown, number, [string, unknown[]][]][])('reads JSON %j', (body, rows, columns) => {
    expect(columnsFromJson(body, limits)).toEqual({ ok: true, upload: { rows, columns: new Map(columns) } });
  });

  it.each([
    ['csv', '', /the CSV cannot be read: the CSV is empty/],
    ['csv', 'a,b\n', /header but no rows/],
    ['csv', 'a,b,c,d\n1,2,3,4\n', /4 columns; at most 3 features/],
    ['csv', 'age,input.age\n1,2\n', /columns "age" and "input.age" both name the feature input.age/],
    ['csv', 'a,,b\n1,2,3\n', /empty name/],
    ['json', { rows: [] }, /array of row objects, or \{"features"/],
    ['json', [], /no rows/],
    ['json', [1, 2], /row 0 is not an object/],
    ['json', [{ a: [1, 2] }], /"a" in row 0 is an array or object/],
    ['json', { features: { a: 3 } }, /features.a is not an array/],
    ['json', { features: { a: [] } }, /every feature array is empty/],
  ] as [string, unknown, RegExp][])('refuses %s %j', (kind, body, message) => {
    const r = kind === 'csv' ? columnsFromCsv(body as string, limits) : columnsFromJson(body, limits);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });
});
