/**
 * Dataset export benchmark: a model with N captured rows × 50 features (one row per call: 40
 * numeric inputs, 8 categorical, 2 outputs) in SQLite; export to CSV and to Parquet (both passes:
 * columns, then rows) beside the same-run ceiling — reading the same spans from SQLite alone, one
 * scan visiting (decoding) every span. Memory: the peak heap above the idle heap, sampled while
 * each export runs, for a quarter of the range and for all of it (bounded: the same for both).
 *
 *   node --expose-gc --import tsx bench/dataset-export.ts [--rows 1000000] [--dir PATH]
 * With --dir, a database already holding the rows is reused (the fill is skipped).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColumnRegistry } from '../collector/datasets/column-registry.js';
import { DatasetService } from '../collector/datasets/dataset-service.js';
import type { DatasetFormat, DatasetQuery } from '../collector/datasets/dataset-query.js';
import { createSqliteFeedbackStore } from '../collector/feedback/sqlite-feedback-store.js';
import { AREA_SCHEMA_STEPS } from '../collector/area-schema.js';
import { withSpanListeners } from '../collector/storage/span-listener.js';
import type { SpanStore } from '../collector/storage/span-store.js';
import { openSqliteStore } from '../collector/storage/sqlite/sqlite-store.js';
import type { AttributeValue, SpanRecord } from '../shared/span-record.js';
import { numberArg, stringArg } from './collector-spans.js';

const rows = numberArg('rows', 1_000_000);
const keep = stringArg('dir') !== undefined;
const dir = stringArg('dir') ?? mkdtempSync(join(tmpdir(), 'infertrace-bench-dataset-'));
const path = join(dir, 'dataset.db');
const T0 = Date.UTC(2026, 0, 1);
const STEP_MS = 10; // 100 calls a second
const COUNTRIES = ['FR', 'DE', 'ES', 'IT', 'NL', 'BE', 'PL', 'SE'];

function span(i: number): SpanRecord {
  const start = BigInt(T0 + i * STEP_MS) * 1_000_000n;
  const attributes: Record<string, AttributeValue> = {
    'ml.request.id': `req-${i}`,
    'ml.model.name': 'bench',
    'ml.model.version': '1',
    'ml.batch.size': 1,
    'ml.capture': 'full',
  };
  for (let f = 0; f < 40; f++)
    attributes[`ml.input.f${f}`] = Math.round(((i * 7919 + f * 104729) % 100_000) / 10) / 100;
  for (let f = 0; f < 8; f++) attributes[`ml.input.c${f}`] = COUNTRIES[(i + f) % COUNTRIES.length]!;
  attributes['ml.output.probability'] = (i % 1000) / 1000;
  attributes['ml.output.label'] = i % 3 === 0 ? 1 : 0;
  const hex = i.toString(16).padStart(16, '0');
  return {
    traceId: `${hex}${hex}`,
    spanId: hex,
    parentSpanId: '',
    traceState: '',
    name: 'POST /v2/models/bench/infer',
    kind: 'SERVER',
    startTimeUnixNano: start,
    endTimeUnixNano: start + 3_000_000n,
    attributes,
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 1,
    serviceName: 'bench-sidecar',
    resource: { 'service.name': 'bench-sidecar' },
    scope: { name: 'bench', version: '1' },
  };
}

async function fill(store: SpanStore): Promise<void> {
  const t0 = performance.now();
  for (let done = 0; done < rows;) {
    const batch = Array.from({ length: Math.min(2000, rows - done) }, (_, k) => span(done + k));
    await store.writeSpans(batch);
    done += batch.length;
    if (done % 200_000 === 0)
      console.log(`  filled ${done} rows (${Math.round(done / ((performance.now() - t0) / 1000))} rows/s)`);
  }
}

/** Runs `work`, sampling the heap every 20 ms: seconds taken and the peak heap above the start (MiB). */
async function measured(work: () => Promise<number>): Promise<{ seconds: number; count: number; peakMiB: number }> {
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  const t0 = performance.now();
  const count = await work();
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { seconds, count, peakMiB: (peak - base) / 2 ** 20 };
}

async function main(): Promise<void> {
  const fresh = !existsSync(path);
  const store = openSqliteStore({ path, schemaSteps: AREA_SCHEMA_STEPS });
  // The collector's column registry sees every span stored: here the fill, when there is one.
  const registry = new ColumnRegistry(-Infinity);
  if (fresh) {
    console.log(`filling ${rows} rows × 50 features into ${path}`);
    await fill(withSpanListeners(store, [registry]));
  }
  const feedback = createSqliteFeedbackStore(store.db);
  const onePass = new DatasetService(() => ({ spans: store, feedback, ...(fresh ? { columns: registry } : {}) }));
  const twoPasses = new DatasetService(() => ({ spans: store, feedback }));
  const endMs = T0 + rows * STEP_MS;
  const query = (format: DatasetFormat, share = 1): DatasetQuery => ({
    model: 'bench',
    range: { startMs: T0, endMs: T0 + Math.round(rows * share) * STEP_MS },
    slices: [],
    labeled: 'include',
    drift: 'keep',
    driftWindowMs: 3_600_000,
    sinceLastDriftResolved: false,
    format,
  });

  const ceiling = await measured(async () => {
    const r = await store.scanModelSpans(
      { model: 'bench', startNano: BigInt(T0) * 1_000_000n, endNano: BigInt(endMs) * 1_000_000n },
      Number.MAX_SAFE_INTEGER,
      () => {},
    );
    return r.visited;
  });
  const exportOf = (format: DatasetFormat, share = 1, service = onePass) =>
    measured(async () => {
      const dataset = await service.export(query(format, share));
      let bytes = 0;
      for await (const chunk of dataset.chunks()) bytes += chunk.length;
      if (bytes === 0) throw new Error('nothing written');
      return dataset.stats.rows;
    });
  const csv = await exportOf('csv');
  const parquet = await exportOf('parquet');
  const jsonl = await exportOf('jsonl');
  const csvQuarter = await exportOf('csv', 0.25);
  const parquetQuarter = await exportOf('parquet', 0.25);
  const csvTwoPasses = await exportOf('csv', 1, twoPasses);

  const rate = (m: { seconds: number; count: number }) => m.count / m.seconds;
  const line = (name: string, m: { seconds: number; count: number; peakMiB: number }) =>
    console.log(
      `${name.padEnd(52)} ${Math.round(rate(m)).toLocaleString('en').padStart(9)} rows/s  ` +
        `${((rate(m) / rate(ceiling)) * 100).toFixed(0).padStart(3)} % of the ceiling  peak heap +${m.peakMiB.toFixed(0)} MiB`,
    );
  console.log(`\n${rows.toLocaleString('en')} rows × 50 features (one span each)`);
  line('ceiling: scanModelSpans alone', ceiling);
  const pass = fresh ? 'columns from the registry' : 'reused --dir: first pass';
  line(`export CSV (${pass})`, csv);
  line(`export Parquet (${pass})`, parquet);
  line(`export JSON Lines (${pass})`, jsonl);
  line('export CSV, a quarter of the range', csvQuarter);
  line('export Parquet, a quarter of the range', parquetQuarter);
  line('export CSV without registry (2 passes)', csvTwoPasses);
  console.log('target: ≥ 50 % of the ceiling; peak heap the same for a quarter and the whole range');
  await store.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

await main();
