import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore, SqliteStoreOptions } from '../../../collector/storage/sqlite/sqlite-store.js';
import { MS, T0, makeInferenceTrace } from './span-fixtures.js';
import { makeTempDir } from './temp-dir.js';

/** Retention by age and by size: the oldest spans go first, in small batches, and nothing breaks. */
let tmp: ReturnType<typeof makeTempDir>;
let store: SqliteStore | undefined;
let clock = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;
const open = (options: Partial<SqliteStoreOptions>): SqliteStore => {
  store = openSqliteStore({
    path: join(tmp.dir, 'spans.db'),
    now: () => clock,
    keyIndex: { runSpans: 100 },
    ...options,
  });
  return store;
};
const traceIdOf = (t: SpanRecord[]): string => (t[0] as SpanRecord).traceId;
const spanCount = (s: SqliteStore): number => s.db.prepare('SELECT count(*) FROM spans').pluck().get() as number;

beforeEach(() => {
  tmp = makeTempDir();
  clock = Date.UTC(2026, 0, 1);
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  tmp.remove();
});

describe('retention by age', () => {
  it('deletes the spans stored longer ago than the limit, and only those', async () => {
    const s = open({ retention: { maxAgeMs: 24 * HOUR, batchSpans: 50 } });
    const old = Array.from({ length: 120 }, (_, i) =>
      makeInferenceTrace({ start: T0 + BigInt(i) * MS, service: 'old-svc', requestId: `old-${i}` }),
    );
    for (let i = 0; i < old.length; i += 30) await s.writeSpans(old.slice(i, i + 30).flat());
    clock += 20 * HOUR;
    const young = Array.from({ length: 10 }, (_, i) =>
      makeInferenceTrace({ start: T0 + BigInt(i) * MS, service: 'young-svc', requestId: `young-${i}` }),
    );
    await s.writeSpans(young.flat());

    clock += 2 * HOUR; // the old spans are 22 h old: kept
    expect((await s.runRetention()).deletedSpans).toBe(0);
    clock += 3 * HOUR; // now 25 h: gone
    let report = await s.runRetention();
    let [deleted, dropped] = [report.deletedSpans, report.droppedRuns];
    while (report.more) {
      report = await s.runRetention();
      deleted += report.deletedSpans;
      dropped += report.droppedRuns;
    }
    expect(deleted).toBe(240);
    expect(dropped).toBeGreaterThan(0); // the key index's runs that only pointed at old spans
    expect(spanCount(s)).toBe(20);
    expect(await s.getTrace(traceIdOf(old[5] as SpanRecord[]))).toEqual([]);
    expect(await s.findTraceIdsByRequestId('old-5')).toEqual([]);
    expect(await s.findTraceIdsByRequestId('young-5')).toEqual([traceIdOf(young[5] as SpanRecord[])]);
    expect(await s.getServices()).toEqual(['young-svc']);
  });

  it('runs in the background on its timer', async () => {
    const s = open({ retention: { maxAgeMs: HOUR, intervalMs: 5 } });
    await s.writeSpans(makeInferenceTrace());
    clock += 2 * HOUR;
    await expect.poll(() => spanCount(s)).toBe(0);
  });
});

describe('retention by size', () => {
  it('deletes the oldest spans until the live pages fit under the limit', async () => {
    const s = open({});
    const traces = Array.from({ length: 1500 }, (_, i) =>
      makeInferenceTrace({ start: T0 + BigInt(i) * MS, requestId: `r-${i}` }),
    );
    for (let i = 0; i < traces.length; i += 100) await s.writeSpans(traces.slice(i, i + 100).flat());
    const full = s.usedBytes();
    await s.close();
    const limit = Math.floor(full * 0.6);
    const t = open({ retention: { maxBytes: limit, batchSpans: 100, maxBatchesPerPass: 1000 } });
    const report = await t.runRetention();
    expect(report.deletedSpans).toBeGreaterThan(0);
    expect(report.usedBytes).toBeLessThanOrEqual(limit);
    const minId = t.db.prepare('SELECT min(id) FROM spans').pluck().get() as number;
    expect(minId).toBe(report.deletedSpans + 1); // oldest first
    expect(await t.getTrace(traceIdOf(traces[1499] as SpanRecord[]))).toHaveLength(2);
    expect(await t.getTrace(traceIdOf(traces[0] as SpanRecord[]))).toEqual([]);
    expect(await t.findTraceIdsByRequestId('r-1499')).toHaveLength(1);
  });

  it('starts a pass as soon as a commit takes the live pages over the limit, not at the next tick', async () => {
    const s = open({});
    for (let i = 0; i < 1500; i += 100)
      await s.writeSpans(
        Array.from({ length: 100 }, (_, j) => makeInferenceTrace({ start: T0 + BigInt(i + j) * MS })).flat(),
      );
    const full = s.usedBytes();
    await s.close();
    const limit = Math.floor(full * 0.6);
    // An hour between timed passes: only the commit can start one within this test.
    const t = open({ retention: { maxBytes: limit, intervalMs: HOUR, batchSpans: 100 } });
    await t.writeSpans(makeInferenceTrace({ start: T0, requestId: 'over' }));
    while (t.usedBytes() > limit) await new Promise((r) => setTimeout(r, 10));
    expect(spanCount(t)).toBeLessThan(3002);
    expect(await t.findTraceIdsByRequestId('over')).toHaveLength(1);
  });

  it('does nothing without limits', async () => {
    const s = open({});
    await s.writeSpans(makeInferenceTrace());
    expect(await s.runRetention()).toMatchObject({ deletedSpans: 0, droppedRuns: 0 });
  });
});
