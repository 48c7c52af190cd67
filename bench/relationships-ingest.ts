/**
 * Ingest with relationship summaries on versus off, same run: SpanRecord batches of 512 into two
 * SQLite span stores that both have the drift pipeline attached; the second also has the
 * relationship pipeline (its listener on every stored batch, and a flush of both summaries after
 * every chunk of 100 batches, timed with the chunk — in the collector the flushes run every 5 s).
 * Chunks alternate which store goes first, so machine noise hits both alike. Prints spans/s, CPU µs
 * per span and the ratio (target: relationships on ≥ 90 % of off), and the listener alone.
 *
 *   node --import tsx bench/relationships-ingest.ts [--spans 200000] [--batch 512] [--senders 4]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../collector/area-schema.js';
import { createDriftPipeline } from '../collector/drift/drift-pipeline.js';
import { createRelationshipPipeline } from '../collector/relationships/relationship-pipeline.js';
import { DEFAULT_RELATIONSHIP_SETTINGS } from '../collector/relationships/relationship-settings.js';
import { RelationshipSummaries } from '../collector/relationships/relationship-summaries.js';
import { createSqliteRelationshipStore } from '../collector/relationships/sqlite-relationship-store.js';
import { withSpanListeners } from '../collector/storage/span-listener.js';
import type { SpanStore } from '../collector/storage/span-store.js';
import { openSqliteStore } from '../collector/storage/sqlite/sqlite-store.js';
import type { SpanRecord } from '../shared/span-record.js';
import { makeBatches, numberArg } from './collector-spans.js';
import { cpuPerSpan, newTally, rate, timed, writeConcurrently } from './collector-timing.js';

const total = numberArg('spans', 200_000);
const batchSize = numberArg('batch', 512);
const senders = numberArg('senders', 4);
const chunkBatches = 100;
const dir = mkdtempSync(join(tmpdir(), 'infertrace-bench-relationships-'));

let start = 1_760_000_000_000_000_000n;
const clockMs = (): number => Number(start / 1_000_000n);
const settings = { flushIntervalMs: 3_600_000 };
const driftOff = createDriftPipeline({ settings, clock: clockMs });
const driftOn = createDriftPipeline({ settings, clock: clockMs });
const relationships = createRelationshipPipeline({ drift: driftOn, clock: clockMs });
const open = (name: string) => openSqliteStore({ path: join(dir, name), schemaSteps: AREA_SCHEMA_STEPS });
const off = driftOff.attach(open('off.db'));
const onDb = open('on.db');
const on = withSpanListeners(onDb, [driftOn.bind(onDb), relationships.bind(onDb)]);
driftOn.start();
relationships.start();

const tOff = newTally();
const tOn = newTally();
const write = (store: SpanStore, batches: SpanRecord[][]): Promise<void> => writeConcurrently(store, batches, senders);

console.log(
  `relationships ingest: ${total} spans in batches of ${batchSize}, ${senders} concurrent senders, into ${dir}`,
);
for (let done = 0, chunk = 0; done < total; chunk++) {
  const count = Math.min(chunkBatches, Math.ceil((total - done) / batchSize));
  const { batches } = makeBatches(count, batchSize, start);
  start += BigInt(count * batchSize) * 20_000n;
  const spans = batches.reduce((n, b) => n + b.length, 0);
  const runOff = () =>
    timed(tOff, spans, async () => {
      await write(off, batches);
      driftOff.flush();
    });
  const runOn = () =>
    timed(tOn, spans, async () => {
      await write(on, batches);
      driftOn.flush();
      relationships.flush();
    });
  const [a, b] =
    chunk % 2 === 0 ? [await runOff(), await runOn()] : ([await runOn(), await runOff()].reverse() as [number, number]);
  done += spans;
  if (chunk % 4 === 0 || done >= total) {
    console.log(
      `  ${String(done).padStart(9)} spans: relationships off ${Math.round(a)} spans/s, on ${Math.round(b)} spans/s (this chunk)`,
    );
  }
}
const stats = relationships.stats();
await relationships.stop();
await driftOn.stop();
await on.close();
await off.close();

// The listener alone writes nowhere until a flush; its store is a scratch database.
const scratch = open('scratch.db');

// The listener alone (no store): median of 5 rounds over the same batches, a fresh listener each.
const { batches: alone } = makeBatches(200, batchSize, start);
const rounds: number[] = [];
for (let round = 0; round < 6; round++) {
  const timing = {
    bucketWidthMs: 3_600_000,
    flushIntervalMs: 3_600_000,
    dedupeCapacity: 65_536,
  };
  const listener = new RelationshipSummaries(
    createSqliteRelationshipStore(scratch.db),
    timing,
    DEFAULT_RELATIONSHIP_SETTINGS,
  );
  const l0 = performance.now();
  for (const b of alone) listener.onSpans(b);
  if (round > 0) rounds.push(((performance.now() - l0) * 1e6) / (200 * batchSize)); // round 0 warms up
}
await scratch.close();
rmSync(dir, { recursive: true, force: true });
const listenerNs = [...rounds].sort((a, b) => a - b)[2] as number;

console.log(`
relationships off : ${rate(tOff)} spans/s, ${cpuPerSpan(tOff)} CPU µs/span (drift summaries on in both)
relationships on  : ${rate(tOn)} spans/s, ${cpuPerSpan(tOn)} CPU µs/span
ratio             : on/off = ${((rate(tOn) / rate(tOff)) * 100).toFixed(1)}% by wall time, ${((tOff.cpuUs / tOn.cpuUs) * 100).toFixed(1)}% by CPU time (target ≥ 90%)
listener          : ${stats?.spans} spans with pairs, ${stats?.rows} pair rows, ${stats?.ignoredRows} ignored;
                    alone ${listenerNs.toFixed(0)} ns per span of the stream`);
