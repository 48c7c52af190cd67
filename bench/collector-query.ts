/**
 * Collector query benchmark: with 1,000,000 spans stored (500,000 two-span inference traces),
 * the latency of request-id lookups (findTraceIdsByRequestId, then getTrace of what it found),
 * trace-id lookups, subject lookups (enduser.pseudo.id) and searches — p50/p99/max — beside the
 * same-run floor: reading one span row by its primary key.
 *
 *   node --expose-gc --import tsx bench/collector-query.ts [--spans 1000000] [--lookups 2000] [--dir PATH]
 * With --dir, a database already holding the spans is reused (the fill is skipped).
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore } from '../collector/storage/sqlite/sqlite-store.js';
import type { SpanRecord } from '../shared/span-record.js';
import { makeBatches, numberArg, stringArg } from './collector-spans.js';

const total = numberArg('spans', 1_000_000);
const lookups = numberArg('lookups', 2000);
const keep = stringArg('dir') !== undefined;
const dir = stringArg('dir') ?? mkdtempSync(join(tmpdir(), 'infertrace-bench-'));
const path = join(dir, 'query.db');
const samplesPath = join(dir, 'query-samples.json');

interface Samples {
  requestIds: string[];
  traceIds: string[];
  subjects: string[];
}

async function fill(store: SqliteStore): Promise<Samples> {
  const samples: Samples = { requestIds: [], traceIds: [], subjects: [] };
  let start = 1_760_000_000_000_000_000n;
  const t0 = performance.now();
  for (let done = 0; done < total;) {
    const count = Math.min(100, Math.ceil((total - done) / 512));
    const { batches, traces } = makeBatches(count, 512, start);
    start += BigInt(count * 512) * 20_000n;
    for (const t of traces) {
      // Keep a uniform sample across the whole fill (reservoir sampling).
      const seen = done / 2 + samples.requestIds.length;
      if (samples.requestIds.length < lookups || Math.random() < lookups / seen) {
        const at =
          samples.requestIds.length < lookups ? samples.requestIds.length : Math.floor(Math.random() * lookups);
        samples.requestIds[at] = t.requestId;
        samples.traceIds[at] = (t.spans[0] as SpanRecord).traceId;
      }
      if (t.subject !== undefined && samples.subjects.length < lookups && Math.random() < 0.05)
        samples.subjects.push(t.subject);
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < batches.length) await store.writeSpans(batches[next++] as SpanRecord[]);
      }),
    );
    done += batches.reduce((n, b) => n + b.length, 0);
    if (done % 204_800 < 51_200)
      console.log(`  filled ${done} spans (${Math.round(done / ((performance.now() - t0) / 1000))} spans/s)`);
  }
  return samples;
}

function percentiles(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
  return `p50 ${at(0.5).toFixed(3)} ms, p99 ${at(0.99).toFixed(3)} ms, max ${(s[s.length - 1] as number).toFixed(3)} ms (n=${s.length})`;
}

async function time<T>(items: readonly T[], fn: (item: T) => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (const item of items) {
    const t = performance.now();
    await fn(item);
    out.push(performance.now() - t);
  }
  return out;
}

let samples: Samples;
if (keep && existsSync(path) && existsSync(samplesPath)) {
  samples = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(samplesPath, 'utf8'))) as Samples;
  console.log(`query: reusing ${path}`);
} else {
  console.log(`query: filling ${path} with ${total} spans`);
  const filler = openSqliteStore({ path });
  samples = await fill(filler);
  await filler.close();
  await import('node:fs').then((fs) => fs.writeFileSync(samplesPath, JSON.stringify(samples)));
}

// Reopened, as after a restart: every lookup goes through the key index's runs on disk.
const store = openSqliteStore({ path });
const spanCount = store.db.prepare('SELECT count(*) FROM spans').pluck().get() as number;
const runs = store.db.prepare('SELECT count(*) FROM lookup_runs WHERE state = 1').pluck().get() as number;
const maxId = store.db.prepare('SELECT max(id) FROM spans').pluck().get() as number;
const pointRead = store.db.prepare('SELECT * FROM spans WHERE id = ?');
const rowIds = samples.requestIds.map(() => 1 + Math.floor(Math.random() * maxId));

// Warm the page cache the same way for every measurement.
await time(samples.requestIds.slice(0, 200), (id) => store.findTraceIdsByRequestId(id));

// Each lookup is timed right after a floor read, so machine noise (2 shared cores) hits both alike.
(globalThis as { gc?: () => void }).gc?.();
let misses = 0;
const floor: number[] = [];
const interleaved = async <T>(items: readonly T[], fn: (item: T) => Promise<unknown> | unknown): Promise<number[]> => {
  const out: number[] = [];
  for (const [i, item] of items.entries()) {
    floor.push(...(await time([rowIds[i % rowIds.length] as number], (id) => pointRead.get(id))));
    out.push(...(await time([item], fn)));
  }
  return out;
};
const byRequest = await interleaved(samples.requestIds, (id) => store.findTraceIdsByRequestId(id));
const requestToTrace = await interleaved(samples.requestIds, async (id) => {
  const [traceId] = await store.findTraceIdsByRequestId(id);
  if (traceId === undefined || (await store.getTrace(traceId)).length !== 2) misses++;
});
const byTrace = await interleaved(samples.traceIds, (id) => store.getTrace(id));
const bySubject = await interleaved(samples.subjects, (id) => store.findTraceIdsBySubject(id));
const searches = await interleaved(
  Array.from({ length: 100 }, (_, i) => i),
  (i) =>
    store.findTraces(
      i % 2 === 0 ? { service: `model-sidecar-${i % 8}`, limit: 20 } : { model: 'fraud', version: '2', limit: 20 },
    ),
);

console.log(`
${spanCount} spans stored, ${runs} key-index runs, ${(statSync(path).size / spanCount).toFixed(0)} bytes/span on disk
request id → trace ids            : ${percentiles(byRequest)}
request id → trace ids → getTrace : ${percentiles(requestToTrace)}${misses > 0 ? `  (${misses} NOT FOUND)` : ''}
trace id → getTrace               : ${percentiles(byTrace)}
subject → trace ids               : ${percentiles(bySubject)}
search (service | model, 20)      : ${percentiles(searches)}
floor: one span row by primary key: ${percentiles(floor)}`);
await store.close();
if (!keep) rmSync(dir, { recursive: true, force: true });
