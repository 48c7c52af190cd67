/**
 * Collector ingest benchmark: SpanRecord batches of 512 into the SQLite span store, against the
 * ceiling — a raw better-sqlite3 insert of the same spans (one row per span, natural columns,
 * attributes as JSON, no indexes, no dedupe, one transaction per batch, the same page size, WAL
 * and synchronous settings as the store) — in the same run,
 * alternating chunks so machine noise hits both alike. Prints spans/s, CPU µs per span, their
 * ratio, and bytes per span on disk.
 *
 *   node --import tsx bench/collector-ingest.ts [--spans 1000000] [--batch 512] [--senders 4] [--dir PATH]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../collector/storage/sqlite/sqlite-store.js';
import type { SpanRecord } from '../shared/span-record.js';
import { makeBatches, numberArg, stringArg } from './collector-spans.js';
import { cpuPerSpan, newTally, rate, timed, writeConcurrently } from './collector-timing.js';

const total = numberArg('spans', 1_000_000);
const batchSize = numberArg('batch', 512);
const senders = numberArg('senders', 4);
const chunkBatches = 100;
const keep = stringArg('dir') !== undefined;
const dir = stringArg('dir') ?? mkdtempSync(join(tmpdir(), 'infertrace-bench-'));

const store = openSqliteStore({ path: join(dir, 'store.db') });
const raw = new Database(join(dir, 'raw.db'));
raw.pragma(`page_size = ${store.db.pragma('page_size', { simple: true }) as number}`); // same file settings
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
raw.pragma('cache_size = -65536');
raw.pragma(`wal_autocheckpoint = ${store.db.pragma('wal_autocheckpoint', { simple: true }) as number}`);
raw.exec(`CREATE TABLE spans (trace_id TEXT, span_id TEXT, parent_id TEXT, name TEXT, kind TEXT, start_ns INTEGER,
  end_ns INTEGER, service TEXT, status TEXT, status_message TEXT, attributes TEXT, events TEXT, links TEXT,
  resource TEXT, scope TEXT)`);
const rawInsert = raw.prepare('INSERT INTO spans VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
const rawBatch = raw.transaction((spans: readonly SpanRecord[]) => {
  for (const s of spans) {
    rawInsert.run(
      s.traceId,
      s.spanId,
      s.parentSpanId,
      s.name,
      s.kind,
      s.startTimeUnixNano,
      s.endTimeUnixNano,
      s.serviceName,
      s.status.code,
      s.status.message,
      JSON.stringify(s.attributes),
      JSON.stringify(s.events, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      JSON.stringify(s.links),
      JSON.stringify(s.resource),
      JSON.stringify(s.scope),
    );
  }
});

const tStore = newTally();
const tRaw = newTally();

const fileBytes = (path: string): number =>
  ['', '-wal'].reduce((n, s) => n + (statSync(path + s, { throwIfNoEntry: false })?.size ?? 0), 0);

console.log(`ingest: ${total} spans in batches of ${batchSize}, ${senders} concurrent senders, into ${dir}`);
let start = 1_760_000_000_000_000_000n;
for (let done = 0, chunk = 0; done < total; chunk++) {
  const count = Math.min(chunkBatches, Math.ceil((total - done) / batchSize));
  const { batches } = makeBatches(count, batchSize, start);
  start += BigInt(count * batchSize) * 20_000n;
  const spans = batches.reduce((n, b) => n + b.length, 0);
  // `senders` concurrent writers, as several sidecars exporting at once; the queue coalesces them.
  const runStore = () => timed(tStore, spans, () => writeConcurrently(store, batches, senders));
  const runRaw = () =>
    timed(tRaw, spans, () => {
      for (const b of batches) rawBatch(b);
    });
  const [s, r] =
    chunk % 2 === 0
      ? [await runStore(), await runRaw()]
      : ([await runRaw(), await runStore()].reverse() as [number, number]);
  done += spans;
  if (chunk % 4 === 0 || done >= total) {
    console.log(
      `  ${String(done).padStart(9)} spans stored: store ${Math.round(s)} spans/s, raw ${Math.round(r)} spans/s (this chunk)`,
    );
  }
}
const q = store.queueStats();
await store.close();
raw.pragma('wal_checkpoint(TRUNCATE)');
raw.close();
const check = new Database(join(dir, 'store.db'));
check.pragma('wal_checkpoint(TRUNCATE)');
check.close();

console.log(`
store : ${rate(tStore)} spans/s, ${cpuPerSpan(tStore)} CPU µs/span, ${(fileBytes(join(dir, 'store.db')) / total).toFixed(0)} bytes/span on disk
raw   : ${rate(tRaw)} spans/s, ${cpuPerSpan(tRaw)} CPU µs/span, ${(fileBytes(join(dir, 'raw.db')) / total).toFixed(0)} bytes/span on disk
ratio : store/raw = ${((rate(tStore) / rate(tRaw)) * 100).toFixed(0)}% by wall time, ${((tRaw.cpuUs / tStore.cpuUs) * 100).toFixed(0)}% by CPU time
queue : ${q.committedBatches} transactions, ${(q.committedSpans / Math.max(1, q.committedBatches)).toFixed(0)} spans per transaction`);
if (!keep) rmSync(dir, { recursive: true, force: true });
