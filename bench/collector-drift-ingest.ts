/**
 * Ingest with drift summaries on versus off, same run: SpanRecord batches of 512 into two SQLite
 * span stores, one plain and one with the drift pipeline attached (the summaries listener on every
 * stored batch, and a flush of the summaries into the same database after every chunk of 100
 * batches, timed with the chunk — in the collector the flush runs every 5 s). Chunks alternate
 * which store goes first, so machine noise hits both alike. Prints spans/s, CPU µs per span, the
 * ratio (target: drift on ≥ 90 % of off), and what the listener saw.
 *
 *   node --import tsx bench/collector-drift-ingest.ts [--spans 200000] [--batch 512] [--senders 4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../collector/area-schema.js';
import { createDriftPipeline } from '../collector/drift/drift-pipeline.js';
import { resolveDriftSettings } from '../collector/drift/drift-settings.js';
import { DriftSummaries } from '../collector/drift/drift-summaries.js';
import { createSqliteDriftStores } from '../collector/drift/sqlite-drift-store.js';
import type { SpanStore } from '../collector/storage/span-store.js';
import { openDatabase } from '../collector/storage/sqlite/open.js';
import { withSpanTables } from '../collector/storage/sqlite/schema-v1.js';
import { openSqliteStore } from '../collector/storage/sqlite/sqlite-store.js';
import type { SpanRecord } from '../shared/span-record.js';
import { makeBatches, numberArg } from './collector-spans.js';
import { cpuPerSpan, newTally, rate, timed, writeConcurrently } from './collector-timing.js';

const total = numberArg('spans', 200_000);
const batchSize = numberArg('batch', 512);
const senders = numberArg('senders', 4);
const chunkBatches = 100;
const dir = mkdtempSync(join(tmpdir(), 'infertrace-bench-drift-'));

let start = 1_760_000_000_000_000_000n;
const clockMs = (): number => Number(start / 1_000_000n); // summaries' retention counts from the data's time
const drift = createDriftPipeline({ settings: { flushIntervalMs: 3_600_000 }, clock: clockMs });
const off = openSqliteStore({ path: join(dir, 'off.db') });
const on = drift.attach(openSqliteStore({ path: join(dir, 'on.db'), schemaSteps: AREA_SCHEMA_STEPS }));

const tOff = newTally();
const tOn = { ...newTally(), flushMs: 0 };
const write = (store: SpanStore, batches: SpanRecord[][]): Promise<void> => writeConcurrently(store, batches, senders);

console.log(`drift ingest: ${total} spans in batches of ${batchSize}, ${senders} concurrent senders, into ${dir}`);
for (let done = 0, chunk = 0; done < total; chunk++) {
  const count = Math.min(chunkBatches, Math.ceil((total - done) / batchSize));
  const { batches } = makeBatches(count, batchSize, start);
  start += BigInt(count * batchSize) * 20_000n;
  const spans = batches.reduce((n, b) => n + b.length, 0);
  const runOff = () => timed(tOff, spans, () => write(off, batches));
  const runOn = () =>
    timed(tOn, spans, async () => {
      await write(on, batches);
      const f0 = performance.now();
      drift.flush();
      tOn.flushMs += performance.now() - f0;
    });
  const [a, b] =
    chunk % 2 === 0 ? [await runOff(), await runOn()] : ([await runOn(), await runOff()].reverse() as [number, number]);
  done += spans;
  if (chunk % 4 === 0 || done >= total) {
    console.log(
      `  ${String(done).padStart(9)} spans: drift off ${Math.round(a)} spans/s, on ${Math.round(b)} spans/s (this chunk)`,
    );
  }
}
const stats = drift.stats();
await on.close();
await off.close();
rmSync(dir, { recursive: true, force: true });

// The listener alone (no store): median of 5 rounds over the same batches, a fresh listener each.
const { batches: alone } = makeBatches(200, batchSize, start);
const rounds: number[] = [];
const summaryDb = openDatabase({ path: ':memory:' }, withSpanTables(AREA_SCHEMA_STEPS)); // never flushed to: onSpans only
for (let round = 0; round < 6; round++) {
  const listener = new DriftSummaries(createSqliteDriftStores(summaryDb).summaries, resolveDriftSettings());
  const l0 = performance.now();
  for (const b of alone) listener.onSpans(b);
  if (round > 0) rounds.push(((performance.now() - l0) * 1e6) / (200 * batchSize)); // round 0 warms up
}
summaryDb.close();
const listenerNs = [...rounds].sort((a, b) => a - b)[2] as number;

console.log(`
drift off : ${rate(tOff)} spans/s, ${cpuPerSpan(tOff)} CPU µs/span
drift on  : ${rate(tOn)} spans/s, ${cpuPerSpan(tOn)} CPU µs/span (flushes: ${tOn.flushMs.toFixed(0)} ms in all)
ratio     : on/off = ${((rate(tOn) / rate(tOff)) * 100).toFixed(1)}% by wall time, ${((tOff.cpuUs / tOn.cpuUs) * 100).toFixed(1)}% by CPU time (target ≥ 90%)
listener  : ${stats?.spans} SERVER spans with captures, ${stats?.observations} observations, ${stats?.duplicates} duplicates ignored;
            alone ${listenerNs.toFixed(0)} ns per span of the stream (half SERVER spans with 6 captured values)`);
