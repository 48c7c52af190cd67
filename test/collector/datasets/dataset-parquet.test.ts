import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { capturedSpan } from '../drift/drift-spans.js';
import { startDatasetApp, type DatasetApp } from './dataset-app.js';
import { readParquet } from './duckdb-reader.js';

/** Parquet datasets read back with DuckDB: typed columns, nulls, many row groups, the empty file. */
const T = Date.UTC(2025, 5, 1);
const RANGE = `start=${T}&end=${T + 3_600_000}`;
let app: DatasetApp;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'infertrace-parquet-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await app?.close();
});

const bytesOf = async (res: Response): Promise<Uint8Array> => new Uint8Array(await res.arrayBuffer());

describe('Parquet datasets', () => {
  it('have the right type per column, with nulls where a value is missing', async () => {
    app = await startDatasetApp();
    await app.store.writeSpans([
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 1000,
        requestId: 'a',
        inputs: { amount: 12.5, country: 'FR', vip: true },
        outputs: { score: 0.25 },
      }),
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 2500,
        requestId: 'b',
        inputs: { amount: 7 },
        outputs: { score: 0.75 },
      }),
    ]);
    app.label('a', 0, 'legit', T + 1000);
    const res = await app.fetch(`/api/datasets/fraud?${RANGE}&format=parquet`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const { columns, rows } = await readParquet(dir, await bytesOf(res));
    expect(columns).toEqual([
      ['time', 'TIMESTAMP'],
      ['request_id', 'VARCHAR'],
      ['trace_id', 'VARCHAR'],
      ['model_version', 'VARCHAR'],
      ['row', 'INTEGER'],
      ['input.amount', 'DOUBLE'],
      ['input.country', 'VARCHAR'],
      ['input.vip', 'BOOLEAN'],
      ['output.score', 'DOUBLE'],
      ['label', 'VARCHAR'],
    ]);
    expect(rows.map((r) => ({ ...r, trace_id: typeof r['trace_id'] }))).toEqual([
      {
        time: new Date(T + 1000),
        request_id: 'a',
        trace_id: 'string',
        model_version: '1',
        row: 0,
        'input.amount': 12.5,
        'input.country': 'FR',
        'input.vip': true,
        'output.score': 0.25,
        label: 'legit',
      },
      {
        time: new Date(T + 2500),
        request_id: 'b',
        trace_id: 'string',
        model_version: '1',
        row: 0,
        'input.amount': 7,
        'input.country': null,
        'input.vip': null,
        'output.score': 0.75,
        label: null,
      },
    ]);
  });

  it('a numeric label is a DOUBLE column; an empty dataset is a valid file with its schema', async () => {
    app = await startDatasetApp();
    await app.store.writeSpans([
      capturedSpan({ model: 'price', version: '1', startMs: T + 1000, requestId: 'p', inputs: { m2: 40 } }),
    ]);
    app.label('p', 0, 310_000, T + 1000, 'price');
    const priced = await readParquet(
      dir,
      await bytesOf(await app.fetch(`/api/datasets/price?${RANGE}&format=parquet`)),
    );
    expect(priced.columns.at(-1)).toEqual(['label', 'DOUBLE']);
    expect(priced.rows.map((r) => [r['input.m2'], r['label']])).toEqual([[40, 310_000]]);
    const empty = await readParquet(
      dir,
      await bytesOf(await app.fetch(`/api/datasets/nobody?${RANGE}&format=parquet`)),
    );
    expect(empty.columns.map(([n]) => n)).toEqual(['time', 'request_id', 'trace_id', 'model_version', 'row', 'label']);
    expect(empty.rows).toEqual([]);
  });

  it('spans many row groups without losing or reordering a row', async () => {
    app = await startDatasetApp({ pageSpans: 500 });
    const spans = Array.from({ length: 45_000 / 9 }, (_, i) =>
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + i * 100,
        batch: 9,
        inputs: { n: Array.from({ length: 9 }, (_, r) => i * 9 + r) },
      }),
    );
    await app.store.writeSpans(spans);
    const { rows } = await readParquet(
      dir,
      await bytesOf(await app.fetch(`/api/datasets/fraud?${RANGE}&format=parquet&labeled=none`)),
    );
    expect(rows).toHaveLength(45_000);
    expect(rows.every((r, i) => r['input.n'] === i)).toBe(true);
  });
});
