import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { randomTraceId } from '../../../shared/ids.js';
import { startCollectorProcess } from '../support/collector-process.js';
import { post } from '../support/http-post.js';
import { encodeOtlpProtobuf, otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import { openTestSqliteStore } from '../support/sqlite-store.js';
import { reapTestChildren } from '../../support/child-processes.js';

/**
 * SIGTERM while exports are in flight: the collector stops accepting, finishes what it took
 * (committing and acknowledging it), closes the database and exits 0.
 */
const PB = { 'content-type': 'application/x-protobuf' };
const dir = mkdtempSync(join(tmpdir(), 'infertrace-sigterm-'));
// Ends the collector processes a failed test left running.
afterEach(reapTestChildren);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a collector sent SIGTERM during ingest', () => {
  it('acknowledges only what it stored, closes the database cleanly and exits 0', async () => {
    const db = join(dir, 'spans.db');
    const p = await startCollectorProcess(['--db', db]);
    const batches = Array.from({ length: 12 }, () => {
      const traceId = randomTraceId();
      const spans = Array.from({ length: 200 }, () => otlpSpan({ traceId }));
      return { traceId, spanIds: spans.map((s) => String(s.spanId)), body: encodeOtlpProtobuf(otlpRequest(spans)) };
    });
    const warmUp = batches.shift()!;
    expect((await post(`${p.url}/v1/traces`, { headers: PB, body: warmUp.body })).status).toBe(200);

    const inFlight = batches.map((b) =>
      post(`${p.url}/v1/traces`, { headers: PB, body: b.body }).then(
        (r) => r.status,
        () => 'refused',
      ),
    );
    p.child.kill('SIGTERM');
    const outcomes = await Promise.all(inFlight);
    expect(await p.exited).toEqual({ code: 0, signal: null });

    const raw = new Database(db);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
    const store = await openTestSqliteStore(db);
    try {
      const acked = [warmUp, ...batches.filter((_, i) => outcomes[i] === 200)];
      for (const b of acked) expect((await store.getTrace(b.traceId)).length).toBe(b.spanIds.length);
      for (const outcome of outcomes) expect([200, 503, 'refused']).toContain(outcome);
    } finally {
      await store.close();
    }
  });
});
