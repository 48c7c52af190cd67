import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../collector/app.js';
import { jaegerCompatPlugin, zipkinCompatPlugin } from '../../../collector/query/compat-plugins.js';
import type { JaegerEnvelope, JaegerTrace } from '../../../collector/jaeger/jaeger-types.js';
import type { ZipkinSpan } from '../../../collector/zipkin/zipkin-types.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { readFixture } from '../../support/fixtures.js';
import { zipkinProblems, zipkinSchemas } from '../support/zipkin-schema.js';
import { memorySpanStore } from '../support/memory-db.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

/**
 * The read APIs inside the collector's own app, beside its receivers: Zipkin spans POSTed to
 * /api/v2/spans come back from GET /api/v2/trace/{id}, OTLP spans from /jaeger/api/traces/{id}.
 */
let store: SqliteStore;
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  store = memorySpanStore();
  app = buildApp({
    store,
    plugins: [jaegerCompatPlugin(new TraceService(store)), zipkinCompatPlugin(new TraceService(store))],
  });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await app.close();
  await store.close();
});

describe('the compatible read APIs in the collector app', () => {
  it('gives back Zipkin spans posted to the Zipkin receiver, as they were sent', async () => {
    const sent = JSON.parse(readFixture('zipkin', 'messaging.json')) as ZipkinSpan[];
    const post = await fetch(`${base}/api/v2/spans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(sent),
    });
    expect(post.status).toBe(202);
    const res = await fetch(`${base}/api/v2/trace/${sent[0]?.traceId}`);
    const body = (await res.json()) as ZipkinSpan[];
    expect(zipkinProblems(zipkinSchemas.trace, body)).toBe('');
    const byId = (a: ZipkinSpan, b: ZipkinSpan): number => (a.id < b.id ? -1 : 1);
    expect(body.sort(byId)).toStrictEqual([...sent].sort(byId));
  });

  it('serves OTLP spans posted to /v1/traces through the Jaeger API', async () => {
    const post = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: readFixture('otlp', 'example-trace.json'),
    });
    expect(post.status).toBe(200);
    const res = await fetch(`${base}/jaeger/api/traces/7d2a4c9e1b3f5a6c8e0d2f4b6a8c0e1d`);
    const { data } = (await res.json()) as JaegerEnvelope<JaegerTrace[]>;
    expect(data[0]?.spans.map((s) => [s.operationName, s.spanID, s.references[0]?.spanID])).toStrictEqual([
      ['POST /checkout', 'a1b2c3d4e5f60718', '0f1e2d3c4b5a6978'],
      ['GET /inventory', 'b2c3d4e5f6071829', 'a1b2c3d4e5f60718'],
    ]);
    expect(data[0]?.processes.p1?.serviceName).toBe('checkout');
  });

  it('lists the services of both through both APIs', async () => {
    const jaeger = (await (await fetch(`${base}/jaeger/api/services`)).json()) as JaegerEnvelope<string[]>;
    const zipkin = (await (await fetch(`${base}/api/v2/services`)).json()) as string[];
    expect(jaeger.data).toStrictEqual(zipkin);
    expect(zipkin).toStrictEqual(['checkout', 'feature-worker', 'scoring-api']);
  });
});
