import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { MS, T0, makeInferenceTrace } from './span-fixtures.js';
import { makeTempDir } from './temp-dir.js';

/** Erasing a data subject's traces: found by subject, gone from every lookup, and from the file. */
const traceIdOf = (t: SpanRecord[]): string => (t[0] as SpanRecord).traceId;

describe.each<[string, () => { store: SqliteStore; cleanup(): void }]>([
  [
    'SQLite store',
    () => {
      const tmp = makeTempDir();
      return {
        store: openSqliteStore({ path: join(tmp.dir, 's.db'), keyIndex: { runSpans: 16 } }),
        cleanup: tmp.remove,
      };
    },
  ],
])('eraseTraces: %s', (_name, make) => {
  it("removes the subject's traces from every read and leaves the others", async () => {
    const { store, cleanup } = make();
    const mine = Array.from({ length: 6 }, (_, i) =>
      makeInferenceTrace({ subject: 'subj-erase', requestId: `mine-${i}`, start: T0 + BigInt(i) * MS }),
    );
    const others = Array.from({ length: 20 }, (_, i) =>
      makeInferenceTrace({ subject: `subj-${i}`, requestId: `other-${i}`, start: T0 + BigInt(i) * MS }),
    );
    for (const t of [...mine, ...others]) await store.writeSpans(t);

    const found = await store.findTraceIdsBySubject('subj-erase');
    expect(found.sort()).toEqual(mine.map(traceIdOf).sort());
    expect(await store.eraseTraces(found)).toBe(12);

    expect(await store.findTraceIdsBySubject('subj-erase')).toEqual([]);
    expect(await store.findTraceIdsByRequestId('mine-3')).toEqual([]);
    expect(await store.getTrace(traceIdOf(mine[3] as SpanRecord[]))).toEqual([]);
    expect((await store.findTraces({ limit: 100 })).map((s) => s.traceId).sort()).toEqual(others.map(traceIdOf).sort());
    expect(await store.findTraceIdsByRequestId('other-3')).toEqual([traceIdOf(others[3] as SpanRecord[])]);
    expect(await store.eraseTraces(found)).toBe(0); // already gone
    await store.close();
    cleanup();
  });
});

describe('eraseTraces in the SQLite file', () => {
  it('leaves neither the span content nor its key-index entries behind', async () => {
    const tmp = makeTempDir();
    const path = join(tmp.dir, 's.db');
    const first = openSqliteStore({ path, keyIndex: { runSpans: 8 } });
    const secret = makeInferenceTrace({ subject: 'subj-secret', requestId: 'req-secret' });
    (secret[0] as SpanRecord).attributes['ml.input.note'] = 'SECRET-MARKER-4711';
    await first.writeSpans(secret);
    await first.writeSpans(Array.from({ length: 10 }, () => makeInferenceTrace()).flat());
    await first.close(); // keys written out as runs

    const store = openSqliteStore({ path, keyIndex: { runSpans: 8 } });
    const rows = store.db.prepare('SELECT count(*) FROM lookup').pluck().get() as number;
    expect(await store.eraseTraces(await store.findTraceIdsBySubject('subj-secret'))).toBe(2);
    expect(store.db.prepare('SELECT count(*) FROM lookup').pluck().get()).toBe(rows - 4); // 2 trace keys, 1 request, 1 subject
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = Buffer.concat([readFileSync(path), readFileSync(`${path}-wal`)]);
    expect(bytes.includes('SECRET-MARKER-4711')).toBe(false);
    await store.close();
    tmp.remove();
  });
});
