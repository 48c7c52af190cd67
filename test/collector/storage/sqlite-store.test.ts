import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { StoreFullError } from '../../../collector/storage/span-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore, SqliteStoreOptions } from '../../../collector/storage/sqlite/sqlite-store.js';
import { MS, T0, makeInferenceTrace, sortSpans } from './span-fixtures.js';
import { makeTempDir } from './temp-dir.js';

/** SQLite-only behaviour: files, reopening, the key index's runs, backpressure, acknowledgement. */
let tmp: ReturnType<typeof makeTempDir>;
let dbPath: string;
const opened: SqliteStore[] = [];
const open = (options: Partial<SqliteStoreOptions> = {}): SqliteStore => {
  const store = openSqliteStore({ path: dbPath, ...options });
  opened.push(store);
  return store;
};
const traceIdOf = (t: SpanRecord[]): string => (t[0] as SpanRecord).traceId;

beforeEach(() => {
  tmp = makeTempDir();
  dbPath = join(tmp.dir, 'nested', 'folder', 'spans.db');
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  tmp.remove();
});

describe('SQLite store files', () => {
  it('creates the missing folders of its path and sets WAL, synchronous=NORMAL and secure_delete', () => {
    const store = open();
    expect(store.path).toBe(dbPath);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(store.db.pragma('secure_delete', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(1);
  });

  it('runs the schema steps other areas register after its own span tables', async () => {
    const path = join(tmp.dir, 'areas.db');
    const areaStep = {
      version: 2,
      name: 'an area table',
      up: (db: { exec(sql: string): unknown }) => db.exec('CREATE TABLE area_rows (x)'),
    };
    const store = openSqliteStore({ path, schemaSteps: [areaStep] });
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(2);
      expect(
        store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('spans', 'area_rows')").get(),
      ).toEqual({ n: 2 });
    } finally {
      await store.close();
    }
  });

  it('keeps everything across a close and a reopen, and migrates nothing twice', async () => {
    const traces = Array.from({ length: 30 }, (_, i) =>
      makeInferenceTrace({ start: T0 + BigInt(i) * MS, subject: `s-${i % 3}` }),
    );
    const first = open();
    await first.writeSpans(traces.flat());
    await first.close();
    const again = open();
    expect(again.db.pragma('user_version', { simple: true })).toBe(1);
    const probe = traces[17] as SpanRecord[];
    expect(sortSpans(await again.getTrace(traceIdOf(probe)))).toEqual(sortSpans(probe));
    expect(await again.findTraceIdsByRequestId((probe[0] as SpanRecord).attributes['ml.request.id'] as string)).toEqual(
      [traceIdOf(probe)],
    );
    expect(await again.findTraceIdsBySubject('s-2')).toHaveLength(10);
    expect((await again.findTraces({ service: 'iris-sidecar', limit: 100 })).length).toBe(30);
    await again.writeSpans(traces.flat()); // a retry after the restart changes nothing
    expect(await again.getTrace(traceIdOf(probe))).toHaveLength(2);
  });

  it('finds and deduplicates spans whose keys were written out as runs, before and after a reopen', async () => {
    const store = open({ keyIndex: { runSpans: 64 } });
    const traces = Array.from({ length: 200 }, (_, i) =>
      makeInferenceTrace({ start: T0 + BigInt(i) * MS, requestId: `r-${i}` }),
    );
    for (let i = 0; i < traces.length; i += 20) await store.writeSpans(traces.slice(i, i + 20).flat());
    const liveRuns = (): number =>
      store.db.prepare('SELECT count(*) FROM lookup_runs WHERE state = 1').pluck().get() as number;
    await vi.waitFor(() => expect(liveRuns()).toBeGreaterThan(3)); // runs are written in the background
    await store.writeSpans(traces.slice(0, 50).flat()); // old spans again: now only in runs
    expect(store.db.prepare('SELECT count(*) FROM spans').pluck().get()).toBe(400);
    for (const i of [0, 77, 199]) {
      const t = traces[i] as SpanRecord[];
      expect(await store.findTraceIdsByRequestId(`r-${i}`)).toEqual([traceIdOf(t)]);
      expect(await store.getTrace(traceIdOf(t))).toHaveLength(2);
    }
    await store.close();
    const again = open({ keyIndex: { runSpans: 64 } });
    await again.writeSpans(traces.flat());
    expect(again.db.prepare('SELECT count(*) FROM spans').pluck().get()).toBe(400);
    expect(await again.findTraceIdsByRequestId('r-150')).toEqual([traceIdOf(traces[150] as SpanRecord[])]);
  });

  it('acknowledges a write only once another connection can read it', async () => {
    const store = open({ queue: { flushDelayMs: 30 } });
    const other = new Database(dbPath, { readonly: true });
    const count = (): number => other.prepare('SELECT count(*) FROM spans').pluck().get() as number;
    const write = store.writeSpans(makeInferenceTrace());
    expect(count()).toBe(0);
    await write;
    expect(count()).toBe(2);
    other.close();
  });

  it('refuses writes with StoreFullError while its queue is full, and takes them again after', async () => {
    const store = open({ queue: { maxQueuedSpans: 6, flushDelayMs: 50 } });
    const accepted = [store.writeSpans(makeInferenceTrace()), store.writeSpans(makeInferenceTrace())];
    const refused = await store.writeSpans(makeInferenceTrace().concat(makeInferenceTrace())).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StoreFullError);
    expect((refused as StoreFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    await Promise.all(accepted);
    await store.writeSpans(makeInferenceTrace());
    expect(store.queueStats()).toMatchObject({ refusedWrites: 1, committedSpans: 6 });
  });

  it('keeps acknowledged spans when closed with writes pending, and refuses writes after close', async () => {
    const store = open({ queue: { flushDelayMs: 10_000 } });
    const trace = makeInferenceTrace();
    const pending = store.writeSpans(trace);
    await store.close();
    await pending;
    await expect(store.writeSpans(makeInferenceTrace())).rejects.toMatchObject({ code: 'db_closed' });
    await expect(store.getTrace(traceIdOf(trace))).rejects.toMatchObject({ code: 'db_closed' });
    const again = open();
    expect(await again.getTrace(traceIdOf(trace))).toHaveLength(2);
  });
});
