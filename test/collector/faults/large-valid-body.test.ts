import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../collector/app.js';
import { memorySpanStore } from '../support/memory-db.js';
import { otlpRequest, otlpSpan } from '../support/otlp-factory.js';

/**
 * Fault: a large VALID body, close to the body limit, once held the event loop for up to a second
 * (JSON.parse of the whole body, decoding, validation, and one transaction for all its spans), so
 * /healthz did not answer meanwhile. Here /healthz is asked again and again while such a body is
 * handled, and the order of events shows it answered both after the body was read and before its
 * spans reached the store (parsing, decoding, validation), and while they were being committed.
 */
const LIMIT = 8 * 1024 * 1024;
type Event = 'body read' | 'write started' | 'write done' | 'healthz' | 'big answered';

const events: Event[] = [];
let store: SqliteStore;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  store = memorySpanStore();
  // The store as the app sees it, noting when the spans reach it and when they are committed.
  const watched = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'writeSpans') {
        return async (spans: Parameters<SqliteStore['writeSpans']>[0]) => {
          events.push('write started');
          await target.writeSpans(spans);
          events.push('write done');
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  app = buildApp({ store: watched, config: { bodyLimitBytes: LIMIT } });
  app.addHook('onRequest', async (req) => {
    if (req.url === '/v1/traces') req.raw.once('end', () => events.push('body read'));
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

function postBig(body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': body.length },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => {
        events.push('big answered');
        resolve(res.statusCode ?? 0);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The number of `healthz` events between the first `from` and the first `to` after it. */
function healthzBetween(from: Event, to: Event): number {
  const start = events.indexOf(from);
  const end = events.indexOf(to, start);
  expect(start, `${from} in ${events.join(', ')}`).toBeGreaterThanOrEqual(0);
  expect(end, `${to} after ${from}`).toBeGreaterThan(start);
  return events.slice(start, end).filter((e) => e === 'healthz').length;
}

describe('a valid body close to the body limit', () => {
  it('does not stop /healthz from answering while it is parsed, decoded, validated and committed', async () => {
    const spans = Array.from({ length: 16_000 }, () =>
      otlpSpan({ attributes: [{ key: 'payload', value: { stringValue: 'x'.repeat(225) } }] }),
    );
    const body = Buffer.from(JSON.stringify(otlpRequest(spans)));
    expect(body.length).toBeLessThan(LIMIT);
    expect(body.length).toBeGreaterThan(0.8 * LIMIT);

    let done = false;
    const big = postBig(body).finally(() => (done = true));
    const health: number[] = [];
    while (!done) {
      const res = await fetch(`${url}/healthz`);
      health.push(res.status);
      events.push('healthz');
    }
    expect(await big).toBe(200);
    expect(health.every((s) => s === 200)).toBe(true);
    expect(healthzBetween('body read', 'write started')).toBeGreaterThan(0);
    expect(healthzBetween('write started', 'write done')).toBeGreaterThan(0);
    expect(store.queueStats().committedSpans).toBe(16_000);
  });
});
