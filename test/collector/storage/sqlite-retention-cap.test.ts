import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { MS, T0, makeInferenceTrace } from './span-fixtures.js';
import { makeTempDir } from './temp-dir.js';

/**
 * Retention that keeps its promise: ingest in batches far larger than one retention pass used to
 * delete (a pass of 2 small transactions), against a 4 MiB cap. Retention deletes in proportion to
 * the overshoot and gives the freed pages back to the file system, so once it has caught up the
 * file is within 1.2 × the cap and the WAL within its journal_size_limit — where before the file
 * kept its largest size forever.
 */
const MiB = 1024 * 1024;
const CAP = 4 * MiB;
const WAL_LIMIT = 1 * MiB;

let tmp: ReturnType<typeof makeTempDir>;
let store: SqliteStore | undefined;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(async () => {
  await store?.close();
  store = undefined;
  tmp.remove();
});

const sizeOf = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

describe('retention by size under ingest faster than a pass', () => {
  it('brings the file back within 1.2 × the cap and the WAL within its limit', async () => {
    const path = join(tmp.dir, 'spans.db');
    store = openSqliteStore({
      path,
      journalSizeLimitBytes: WAL_LIMIT,
      walAutocheckpointPages: 64,
      retention: { maxBytes: CAP, intervalMs: 10, batchSpans: 500, maxBatchesPerPass: 2 },
    });
    let peak = 0;
    for (let round = 0; round < 6; round++) {
      const traces = Array.from({ length: 2500 }, (_, i) =>
        makeInferenceTrace({ start: T0 + BigInt(round * 2500 + i) * MS, requestId: `r-${round}-${i}` }),
      );
      await store.writeSpans(traces.flat());
      peak = Math.max(peak, sizeOf(path));
    }
    expect(peak).toBeGreaterThan(1.5 * CAP); // ingest did outrun retention
    let report = await store.runRetention();
    while (report.more || report.usedBytes > CAP) report = await store.runRetention();
    expect(report.fileBytes).toBeLessThanOrEqual(1.2 * CAP);
    expect(sizeOf(path)).toBeLessThanOrEqual(1.2 * CAP);
    // One more write lets the WAL restart at its limit after the checkpoint.
    await store.writeSpans(makeInferenceTrace({ start: T0, requestId: 'last' }));
    store.db.pragma('wal_checkpoint(PASSIVE)');
    await store.writeSpans(makeInferenceTrace({ start: T0, requestId: 'after' }));
    expect(sizeOf(`${path}-wal`)).toBeLessThanOrEqual(WAL_LIMIT + 64 * 16 * 1024);
    expect(await store.findTraceIdsByRequestId('r-5-2499')).toHaveLength(1);
    expect(await store.findTraceIdsByRequestId('r-0-0')).toEqual([]);
  });
});
