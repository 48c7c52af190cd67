import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { StorageError } from '../../../collector/storage/storage-errors.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { reapTestChildren, spawnTestChild } from '../../support/child-processes.js';
import { repoRoot } from '../../support/repo-root.js';
import { ackTraceId } from './fixtures/ack-traces.js';
import { makeInferenceTrace } from './span-fixtures.js';
import { makeTempDir } from './temp-dir.js';

/**
 * Faults: a full disk, a read-only file or folder, a path that cannot be a database, a damaged
 * file, and SIGKILL in the middle of ingest. Each gives a typed error naming the file — or, for
 * SIGKILL, a database that passes integrity_check and holds every acknowledged span.
 *
 * A full disk is made with `PRAGMA max_page_count`: SQLite then fails exactly as on ENOSPC, with
 * SQLITE_FULL, without needing a privileged tmpfs mount. Read-only files are made with chmod; as
 * root, whom permissions do not stop, the child process runs as `nobody` instead.
 */
const child = fileURLToPath(new URL('./fixtures/store-child.ts', import.meta.url));
const asRoot = process.getuid?.() === 0;
const NOBODY = { uid: 65534, gid: 65534 };
/** Whether `nobody` can reach the checkout (not when it was cloned into a folder only root may enter). */
const nobodyReadsCheckout =
  !asRoot ||
  spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(child)}, 4)`], NOBODY).status ===
    0;

function spawnChild(args: string[]): {
  done: Promise<{ stdout: string; code: number | null }>;
  kill(): void;
  onLine(f: (l: string) => void): void;
} {
  const proc = spawnTestChild(process.execPath, ['--import', 'tsx', child, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(asRoot && args[0] === 'open' ? NOBODY : {}),
  });
  let stdout = '';
  const listeners: ((l: string) => void)[] = [];
  let partial = '';
  proc.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) for (const f of listeners) f(l);
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ stdout: string; code: number | null }>((resolve) =>
    proc.on('close', (code) => resolve({ stdout: stdout + (code !== 0 && code !== null ? stderr : ''), code })),
  );
  return { done, kill: () => proc.kill('SIGKILL'), onLine: (f) => listeners.push(f) };
}

let tmp: ReturnType<typeof makeTempDir>;
let store: SqliteStore | undefined;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(async () => {
  await reapTestChildren();
  await store?.close();
  store = undefined;
  chmodSync(tmp.dir, 0o700);
  tmp.remove();
});

describe('a full disk', () => {
  it('rejects the write with db_full naming the file, keeps serving reads, and recovers when space returns', async () => {
    const path = join(tmp.dir, 'spans.db');
    const errors: StorageError[] = [];
    store = openSqliteStore({ path, keyIndex: { runSpans: 1_000_000 }, onBackgroundError: (e) => errors.push(e) });
    const kept = makeInferenceTrace({ requestId: 'kept' });
    await store.writeSpans(kept);
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages}`); // no room to grow: the disk is "full"

    const big = Array.from({ length: 300 }, (_, i) => makeInferenceTrace({ requestId: `lost-${i}` }));
    const failure = await store.writeSpans(big.flat()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({ code: 'db_full', status: 507 });
    expect((failure as StorageError).message).toContain(path);
    expect(await store.getTrace((kept[0] as SpanRecord).traceId)).toHaveLength(2);
    expect(await store.findTraceIdsByRequestId('lost-7')).toEqual([]); // nothing of the failed batch

    store.db.pragma('max_page_count = 1073741823'); // space is back
    await store.writeSpans(big.flat()); // not mistaken for duplicates of the rolled-back batch
    expect(await store.findTraceIdsByRequestId('lost-7')).toEqual([(big[7] as SpanRecord[])[0]?.traceId]);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});

describe('files that cannot be written', () => {
  it.skipIf(!nobodyReadsCheckout)(
    'fails at open with db_readonly for a read-only database file (skipped if nobody cannot read the checkout)',
    async () => {
      const path = join(tmp.dir, 'spans.db');
      const s = openSqliteStore({ path });
      await s.writeSpans(makeInferenceTrace());
      await s.close();
      chmodSync(path, 0o444);
      chmodSync(tmp.dir, 0o777);
      const { stdout } = await spawnChild(['open', path]).done;
      const answer = JSON.parse(stdout) as { code: string; message: string };
      expect(answer.code).toBe('db_readonly');
      expect(answer.message).toContain(path);
      expect(answer.message).toContain('writable');
    },
  );

  it.skipIf(!nobodyReadsCheckout)(
    'fails at open with a clear error for a database in a read-only folder (skipped if nobody cannot read the checkout)',
    async () => {
      const path = join(tmp.dir, 'spans.db');
      const s = openSqliteStore({ path });
      await s.close();
      chmodSync(path, 0o666);
      chmodSync(tmp.dir, 0o555);
      const { stdout } = await spawnChild(['open', path]).done;
      const answer = JSON.parse(stdout) as { code: string; message: string };
      expect(['db_readonly', 'db_cantopen']).toContain(answer.code);
      expect(answer.message).toContain(path);
    },
  );

  it.each([
    [
      'a folder below a plain file',
      (dir: string) => {
        writeFileSync(join(dir, 'plain'), 'x');
        return join(dir, 'plain', 'sub', 'spans.db');
      },
      'db_cantopen',
    ],
    [
      'a path that is a folder',
      (dir: string) => {
        mkdirSync(join(dir, 'adir'));
        return join(dir, 'adir');
      },
      'db_cantopen',
    ],
    [
      'a file that is not a database',
      (dir: string) => {
        writeFileSync(join(dir, 'junk.db'), Buffer.alloc(8192, 0x5a));
        return join(dir, 'junk.db');
      },
      'db_corrupt',
    ],
  ])('fails at open for %s with %s', (_label, makePath, code) => {
    const path = makePath(tmp.dir);
    let error: unknown;
    try {
      openSqliteStore({ path })
        .close()
        .catch(() => undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StorageError);
    expect(error).toMatchObject({ code });
    expect((error as StorageError).message).toContain(path);
  });

  it('refuses a database written by a newer build', () => {
    const path = join(tmp.dir, 'spans.db');
    const db = new Database(path);
    db.pragma('user_version = 999');
    db.close();
    expect(() => openSqliteStore({ path })).toThrow(expect.objectContaining({ code: 'db_too_new' }));
  });
});

describe('SIGKILL in the middle of ingest', () => {
  it('leaves a database that passes integrity_check and holds every acknowledged span', async () => {
    const path = join(tmp.dir, 'spans.db');
    const proc = spawnChild(['ingest', path]);
    let acked = -1;
    await new Promise<void>((resolve) => {
      proc.onLine((line) => {
        const m = /^ack (\d+)$/.exec(line);
        if (m === null) return;
        acked = Number(m[1]);
        if (acked >= 24) {
          proc.kill();
          resolve();
        }
      });
      void proc.done.then(() => resolve());
    });
    await proc.done;
    expect(acked).toBeGreaterThanOrEqual(24);

    store = openSqliteStore({ path, keyIndex: { runSpans: 500 } });
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    for (let batch = 0; batch <= acked; batch++) {
      for (const i of [0, 25, 49]) {
        expect(await store.getTrace(ackTraceId(batch, i))).toHaveLength(2);
      }
      expect(await store.findTraceIdsByRequestId(`ack-${batch}-13`)).toEqual([ackTraceId(batch, 13)]);
    }
    const stored = store.db.prepare('SELECT count(*) FROM spans').pluck().get() as number;
    expect(stored).toBeGreaterThanOrEqual((acked + 1) * 100);
  });
});
