import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { randomTraceId } from '../../../shared/ids.js';
import { startCollectorProcess, stopProcess } from '../support/collector-process.js';
import { post } from '../support/http-post.js';
import { encodeOtlpProtobuf, otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import { openTestSqliteStore } from '../support/sqlite-store.js';
import { reapTestChildren } from '../../support/child-processes.js';

/**
 * Fault: the collector is killed with SIGKILL while senders are exporting to it. On restart the
 * database passes `PRAGMA integrity_check`, and every span acknowledged with 200 is there.
 */
const PB = { 'content-type': 'application/x-protobuf' };
const SENDERS = 4;
const SPANS_PER_BATCH = 100;
/** Acknowledged batches to wait for before the kill (a count, not a time). */
const ACKS_BEFORE_KILL = 24;

const dir = mkdtempSync(join(tmpdir(), 'infertrace-sigkill-'));
// Ends the collector processes a failed test left running.
afterEach(reapTestChildren);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batch(): { traceId: string; spanIds: string[]; body: Buffer } {
  const traceId = randomTraceId();
  const spans = Array.from({ length: SPANS_PER_BATCH }, () => otlpSpan({ traceId }));
  return {
    traceId,
    spanIds: spans.map((s) => String(s.spanId)),
    body: encodeOtlpProtobuf(otlpRequest(spans, 'kill-test')),
  };
}

describe('a collector killed with SIGKILL in the middle of ingest', () => {
  it('restarts on an intact database that holds every acknowledged span', async () => {
    const db = join(dir, 'spans.db');
    const first = await startCollectorProcess(['--db', db]);
    const acked: { traceId: string; spanIds: string[] }[] = [];
    let failedAfterKill = 0;
    let killed = false;

    const sender = async (): Promise<void> => {
      for (;;) {
        const b = batch();
        try {
          const res = await post(`${first.url}/v1/traces`, { headers: PB, body: b.body });
          if (res.status === 200) acked.push(b);
        } catch {
          failedAfterKill += 1;
          return;
        }
        if (!killed && acked.length >= ACKS_BEFORE_KILL) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(failedAfterKill).toBe(SENDERS);
    expect(acked.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    const raw = new Database(db);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();

    // The collector starts again on the same file and takes new spans.
    const second = await startCollectorProcess(['--db', db]);
    const after = batch();
    expect((await post(`${second.url}/v1/traces`, { headers: PB, body: after.body })).status).toBe(200);
    expect(await stopProcess(second, 'SIGTERM')).toEqual({ code: 0, signal: null });

    const store = await openTestSqliteStore(db);
    try {
      for (const b of [...acked, after]) {
        const stored = await store.getTrace(b.traceId);
        expect(stored.map((s) => s.spanId).sort()).toEqual([...b.spanIds].sort());
      }
    } finally {
      await store.close();
    }
    // Two child processes start and a kill lands mid-ingest: about 20 s on a quiet machine.
  }, 90_000);
});
