import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { MS, T0, makeInferenceTrace } from './span-fixtures.js';
import { makeTempDir } from './temp-dir.js';

/**
 * A database made by an older build has no auto-vacuum, so size retention cannot shrink its file.
 * At open, a file up to the size limit is switched with one VACUUM (its spans kept); a larger one is
 * left as it was (switched by hand, see docs/collector-and-storage.md).
 */
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

/** A database as an older build left it: spans stored, auto_vacuum NONE. */
async function oldDatabase(path: string): Promise<void> {
  const s = openSqliteStore({ path });
  for (let i = 0; i < 200; i++)
    await s.writeSpans(makeInferenceTrace({ start: T0 + BigInt(i) * MS, requestId: `r-${i}` }));
  await s.close();
  const raw = new Database(path);
  raw.pragma('auto_vacuum = NONE');
  raw.exec('VACUUM');
  expect(raw.pragma('auto_vacuum', { simple: true })).toBe(0);
  raw.close();
}

describe('auto-vacuum for databases made without it', () => {
  it.each([
    ['a small file is switched on at open, its spans kept', undefined, 2],
    ['a file over the limit is left as it was', 1024, 0],
  ])('%s', async (_name, vacuumAtOpenMaxBytes, expected) => {
    const path = join(tmp.dir, 'spans.db');
    await oldDatabase(path);
    store = openSqliteStore({ path, ...(vacuumAtOpenMaxBytes !== undefined ? { vacuumAtOpenMaxBytes } : {}) });
    expect(store.db.pragma('auto_vacuum', { simple: true })).toBe(expected);
    expect(await store.findTraceIdsByRequestId('r-199')).toHaveLength(1);
    expect(await store.findTraceIdsByRequestId('r-0')).toHaveLength(1);
  });
});
