import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestCounters } from '../../../collector/receiver/ingest-counters.js';
import type { SpanStore } from '../../../collector/storage/span-store.js';
import { randomTraceId } from '../../../shared/ids.js';
import { listenApp } from '../support/listen.js';
import { encodeOtlpProtobuf, otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import { openTestSqliteStore } from '../support/sqlite-store.js';

/**
 * Fault: many senders at once, each a real HTTP client, in every encoding, some retrying the same
 * batch concurrently. Every acknowledged span is stored exactly once.
 */
const SENDERS = 12;
const REQUESTS = 5;
const SPANS = 40;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const stores: [string, () => Promise<SpanStore>][] = [
  [
    'SQLite store',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'infertrace-concurrent-'));
      dirs.push(dir);
      return openTestSqliteStore(join(dir, 'spans.db'));
    },
  ],
];

function body(
  sender: number,
  request: number,
  traceId: string,
): { headers: Record<string, string>; payload: Buffer | string; spanIds: string[] } {
  const now = Date.now() * 1000;
  const kind = (sender + request) % 3;
  if (kind === 2) {
    const spans = Array.from({ length: SPANS }, (_, i) => ({
      traceId,
      id: `${sender.toString(16).padStart(4, '0')}${request.toString(16).padStart(4, '0')}${i.toString(16).padStart(8, '0')}`,
      name: 'zipkin-span',
      timestamp: now,
      duration: 10,
      localEndpoint: { serviceName: `sender-${sender}` },
    }));
    return {
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(spans),
      spanIds: spans.map((s) => s.id),
    };
  }
  const spans = Array.from({ length: SPANS }, () => otlpSpan({ traceId }));
  const request_ = otlpRequest(spans, `sender-${sender}`);
  return kind === 0
    ? {
        headers: { 'content-type': 'application/x-protobuf' },
        payload: encodeOtlpProtobuf(request_),
        spanIds: spans.map((s) => String(s.spanId)),
      }
    : {
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(request_),
        spanIds: spans.map((s) => String(s.spanId)),
      };
}

describe.each(stores)('concurrent senders into the %s', (_name, open) => {
  it('acknowledge every request and store every span exactly once, retries included', async () => {
    const store = await open();
    const counters = new IngestCounters();
    const server = await listenApp({ store, counters });
    try {
      const expected = new Map<string, Set<string>>();
      const sender = async (n: number): Promise<void> => {
        for (let r = 0; r < REQUESTS; r++) {
          const traceId = randomTraceId();
          const { headers, payload, spanIds } = body(n, r, traceId);
          expected.set(traceId, new Set(spanIds));
          const path =
            headers['content-type'] === 'application/json' && typeof payload === 'string' && payload.startsWith('[')
              ? '/api/v2/spans'
              : '/v1/traces';
          // Every third request is sent twice at once, as a retrying exporter might.
          const copies = r % 3 === 0 ? 2 : 1;
          const answers = await Promise.all(
            Array.from({ length: copies }, () =>
              fetch(`${server.url}${path}`, { method: 'POST', headers, body: payload }),
            ),
          );
          for (const a of answers) expect([200, 202]).toContain(a.status);
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, (_, n) => sender(n)));
      for (const [traceId, spanIds] of expected) {
        const stored = await store.getTrace(traceId);
        expect(stored.map((s) => s.spanId).sort()).toEqual([...spanIds].sort());
      }
      expect(expected.size).toBe(SENDERS * REQUESTS);
      expect(counters.snapshot().spansRejected).toEqual({});
    } finally {
      await server.close();
      await store.close();
    }
  });
});
