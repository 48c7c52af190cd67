import { get } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { capturedSpan } from '../drift/drift-spans.js';
import { parseCsv, startDatasetApp, type DatasetApp } from './dataset-app.js';

/** The faults issue 15 names, each against the real API on a real SQLite file. */
const T = Date.UTC(2025, 5, 1);
const RANGE = `start=${T}&end=${T + 3_600_000}`;
let app: DatasetApp;
/** Columns from the registry kept at ingest, or from a first pass over the range. */
const PATHS: [string, boolean][] = [
  ['column registry', true],
  ['first pass', false],
];

afterEach(async () => {
  await app?.close();
});

describe('dataset export: bad input and faults', () => {
  it('a model with no captured rows is an empty file with its header, not an error', async () => {
    app = await startDatasetApp();
    const csv = await app.text(`/api/datasets/nobody?${RANGE}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text).toBe('time,request_id,trace_id,model_version,row,label\n');
    const jsonl = await app.text(`/api/datasets/nobody?${RANGE}&format=jsonl`);
    expect([jsonl.status, jsonl.text]).toEqual([200, '']);
    const manifest = await app.json(`/api/datasets/nobody/manifest?${RANGE}`);
    expect(manifest).toMatchObject({ model: 'nobody', rows: 0, spans: 0, timeRange: { firstRow: null } });
  });

  it.each(PATHS)(
    'a feature that appears half-way is a column from the first row, empty before (%s)',
    async (_path, registry) => {
      app = await startDatasetApp({ registry });
      await app.store.writeSpans([
        capturedSpan({ model: 'fraud', version: '1', startMs: T + 1000, requestId: 'a', inputs: { amount: 10 } }),
        capturedSpan({
          model: 'fraud',
          version: '1',
          startMs: T + 2000,
          requestId: 'b',
          inputs: { amount: 20, country: 'FR' },
        }),
      ]);
      const { header, rows } = parseCsv((await app.text(`/api/datasets/fraud?${RANGE}&labeled=none`)).text);
      expect(header).toEqual([
        'time',
        'request_id',
        'trace_id',
        'model_version',
        'row',
        'input.amount',
        'input.country',
      ]);
      expect(rows.map((r) => [r[1], r[5], r[6]])).toEqual([
        ['a', '10', ''],
        ['b', '20', 'FR'],
      ]);
    },
  );

  it.each(PATHS)('a feature whose type changes gets the type that holds every value (%s)', async (_path, registry) => {
    app = await startDatasetApp({ registry });
    await app.store.writeSpans([
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 1000,
        requestId: 'a',
        inputs: { zip: 75001, ok: true },
      }),
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + 2000,
        requestId: 'b',
        inputs: { zip: '2A004', ok: false },
      }),
    ]);
    const manifest = await app.json(`/api/datasets/fraud/manifest?${RANGE}&labeled=none`);
    expect(manifest.columns.slice(5)).toEqual([
      { name: 'input.zip', type: 'string' },
      { name: 'input.ok', type: 'boolean' },
    ]);
    const lines = (await app.text(`/api/datasets/fraud?${RANGE}&labeled=none&format=jsonl`)).text.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l)).map((r) => [r['input.zip'], r['input.ok']])).toEqual([
      ['75001', true],
      ['2A004', false],
    ]);
  });

  it('labels that arrive after the export started are in the rows not yet written', async () => {
    app = await startDatasetApp({ pageSpans: 2 });
    const spans = Array.from({ length: 6 }, (_, i) =>
      capturedSpan({ model: 'fraud', version: '1', startMs: T + 1000 * (i + 1), requestId: `r${i}`, inputs: { x: i } }),
    );
    await app.store.writeSpans(spans);
    app.label('r0', 0, 'fraud', T + 1000);
    const dataset = await app.service.export({
      model: 'fraud',
      range: { startMs: T, endMs: T + 3_600_000 },
      slices: [],
      labeled: 'include',
      drift: 'keep',
      driftWindowMs: 3_600_000,
      sinceLastDriftResolved: false,
      format: 'csv',
    });
    const chunks = dataset.chunks();
    const decode = (c: IteratorResult<Uint8Array>): string => new TextDecoder().decode(c.value as Uint8Array);
    const header = decode(await chunks.next());
    const firstPage = parseCsv(header + decode(await chunks.next())).rows.map((r) => r[1]);
    // Every label arrives now, while the export is under way.
    for (let i = 0; i < 6; i++) app.label(`r${i}`, 0, `late${i}`, T + 1000 * (i + 1));
    let rest = '';
    for await (const c of chunks) rest += new TextDecoder().decode(c);
    const { rows } = parseCsv(header + rest);
    expect(firstPage.length).toBeGreaterThan(0);
    expect(rows.length).toBeGreaterThan(0);
    expect(firstPage.length + rows.length).toBe(6);
    // Written before the labels came: only r0's early label; written after: the late labels.
    const written = new Set(firstPage);
    expect(written.has('r0')).toBe(true);
    expect(rows.map((r) => [r[1], r[6]])).toEqual(rows.map((r) => [r[1], `late${r[1]!.slice(1)}`]));
    expect(dataset.stats.labeledRows).toBe(1 + rows.length);
  });

  it('a client that disconnects mid-stream stops the export, and nothing is held', async () => {
    app = await startDatasetApp({ pageSpans: 50, registry: false }); // a first pass, then the rows
    const many = Array.from({ length: 4000 }, (_, i) =>
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + i * 500,
        requestId: `r${i}`,
        inputs: { text: 'x'.repeat(400), n: i },
      }),
    );
    await app.store.writeSpans(many);
    // A plain HTTP client that reads the first chunk and then closes its socket.
    const scansBefore = { n: 0 };
    const firstChunk = await new Promise<{ status: number; expected: string | undefined }>((resolve, reject) => {
      const req = get(`${app.url}/api/datasets/fraud?${RANGE}`, (res) => {
        res.once('data', () => {
          scansBefore.n = app.scans.length;
          resolve({ status: res.statusCode ?? 0, expected: res.headers['x-dataset-rows-expected'] as string });
          req.destroy();
        });
      });
      req.on('error', reject);
    });
    expect(firstChunk).toEqual({ status: 200, expected: '4000' });
    await expect.poll(() => app.service.active, { timeout: 5000 }).toBe(0);
    const server = app.listening.app.server;
    await expect
      .poll(() => new Promise<number>((r) => server.getConnections((_e, n) => r(n))), { timeout: 5000 })
      .toBe(0);
    const scansAfter = app.scans.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(app.scans.length).toBe(scansAfter); // no more reading
    // The first pass read every span (~80 pages and more); the second stopped a few pages in.
    expect(scansAfter - scansBefore.n).toBeLessThan(10);
    expect(scansBefore.n).toBeGreaterThan(80);
  });

  it('a range of many rows streams in pages of bounded size (memory independent of the row count)', async () => {
    app = await startDatasetApp({ pageSpans: 100 });
    // 20 000 rows in 2 000 batch calls of 10 rows: scaled down from 10 million, the reading is the same.
    const spans = Array.from({ length: 2000 }, (_, i) =>
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: T + i * 1000,
        batch: 10,
        inputs: { x: Array.from({ length: 10 }, (_, r) => i * 10 + r) },
      }),
    );
    await app.store.writeSpans(spans);
    const res = await app.fetch(`/api/datasets/fraud?${RANGE}&labeled=none`);
    const { rows } = parseCsv(await res.text());
    expect(rows).toHaveLength(20_000);
    expect(rows.map((r) => Number(r[5]))).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    // No scan ever holds more than a page (+1: the span that tells the scan its window was too wide).
    expect(Math.max(...app.scans)).toBeLessThanOrEqual(101);
    expect(app.scans.length).toBeGreaterThanOrEqual(2000 / 100);
  });
});
