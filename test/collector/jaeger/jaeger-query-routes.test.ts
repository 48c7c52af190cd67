import { type FastifyInstance } from 'fastify';
import { bareApp } from '../../support/bare-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAEGER_API_PREFIX, jaegerQueryRoutes } from '../../../collector/jaeger/jaeger-query-routes.js';
import type { JaegerEnvelope, JaegerTrace } from '../../../collector/jaeger/jaeger-types.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { readFixture, readFixtureJson } from '../../support/fixtures.js';
import { NOW_NANO, TRACE_A, TRACE_B, traceA, traceB } from '../support/fixture-traces.js';
import { memorySpanStore } from '../support/memory-db.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

let store: SqliteStore;
let app: FastifyInstance;
const NOW_US = Number(NOW_NANO / 1000n);

beforeAll(async () => {
  store = memorySpanStore();
  await store.writeSpans([...traceA(), ...traceB()]);
  app = bareApp();
  await app.register(jaegerQueryRoutes({ traces: new TraceService(store), now: () => NOW_NANO }), {
    prefix: JAEGER_API_PREFIX,
  });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function get<T = JaegerEnvelope<unknown>>(url: string): Promise<{ status: number; body: T }> {
  const res = await app.inject({ method: 'GET', url: `${JAEGER_API_PREFIX}${url}` });
  return { status: res.statusCode, body: res.json<T>() };
}

describe('Jaeger query API', () => {
  it('lists services in the envelope the Jaeger UI reads', async () => {
    expect(await get('/api/services')).toStrictEqual({
      status: 200,
      body: { data: ['iris-model', 'iris-sidecar', 'web'], total: 3, limit: 0, offset: 0, errors: null },
    });
  });

  it('lists a service’s operation names once each (the legacy route the UI calls)', async () => {
    expect((await get('/api/services/iris-sidecar/operations')).body).toStrictEqual({
      data: ['POST', 'POST /v2/models/iris/infer'],
      total: 2,
      limit: 0,
      offset: 0,
      errors: null,
    });
    expect((await get('/api/services/nobody/operations')).body.data).toStrictEqual([]);
  });

  it.each([
    [
      '',
      [
        { name: 'GET /predict', spanKind: 'server' },
        { name: 'GET features', spanKind: 'client' },
        { name: 'POST', spanKind: 'client' },
      ],
    ],
    ['&spanKind=server', [{ name: 'GET /predict', spanKind: 'server' }]],
  ])('lists operations with their kinds (/api/operations?service=web%s)', async (extra, want) => {
    const { body } = await get(`/api/operations?service=web${extra}`);
    expect(body).toStrictEqual({ data: want, total: want.length, limit: 0, offset: 0, errors: null });
  });

  it.each([
    ['service only', '?service=iris-sidecar', [TRACE_B, TRACE_A]],
    ['operation', '?service=iris-model&operation=infer', [TRACE_A]],
    ['tags JSON', `?service=iris-sidecar&tags=${encodeURIComponent('{"ml.request.id":"req-2"}')}`, [TRACE_B]],
    ['tag k:v', '?service=iris-sidecar&tag=ml.model.version:3', [TRACE_A]],
    ['error=true', `?service=iris-sidecar&tags=${encodeURIComponent('{"error":"true"}')}`, [TRACE_B]],
    ['minDuration', '?service=iris-sidecar&minDuration=100ms', [TRACE_B]],
    ['maxDuration', '?service=iris-sidecar&maxDuration=0.1s', [TRACE_A]],
    ['limit', '?service=iris-sidecar&limit=1', [TRACE_B]],
    ['start/end window', `?service=iris-sidecar&start=${NOW_US - 60_000_000}&end=${NOW_US - 55_000_000}`, [TRACE_A]],
    ['lookback (start absent)', '?service=iris-sidecar&lookback=1m', [TRACE_B, TRACE_A]],
    ['window that misses', `?service=web&end=${NOW_US - 70_000_000}&lookback=1h`, []],
    ['trace ids', `?traceID=${TRACE_A}`, [TRACE_A]],
  ])('searches by %s', async (_label, query, want) => {
    const { status, body } = await get<JaegerEnvelope<JaegerTrace[]>>(`/api/traces${query}`);
    expect(status).toBe(200);
    expect(body.data.map((t) => t.traceID)).toStrictEqual(want);
    expect([body.total, body.limit, body.offset, body.errors]).toStrictEqual([0, 0, 0, null]);
  });

  it('returns whole traces in search results, with processes', async () => {
    const { body } = await get<JaegerEnvelope<JaegerTrace[]>>('/api/traces?service=iris-model');
    const trace = body.data[0];
    expect(trace?.spans).toHaveLength(6);
    expect(
      Object.values(trace?.processes ?? {})
        .map((p) => p.serviceName)
        .sort(),
    ).toStrictEqual(['iris-model', 'iris-sidecar', 'web']);
  });

  it('reports trace ids it cannot find as per-trace errors', async () => {
    const missing = 'cccccccccccccccc3333333333333333';
    const { body } = await get<JaegerEnvelope<JaegerTrace[]>>(`/api/traces?traceID=${TRACE_B}&traceID=${missing}`);
    expect(body.data.map((t) => t.traceID)).toStrictEqual([TRACE_B]);
    expect(body.errors).toStrictEqual([{ code: 404, msg: 'trace not found', traceID: missing }]);
  });

  it('gets one trace, spans sorted by start, parent references as CHILD_OF', async () => {
    const { status, body } = await get<JaegerEnvelope<JaegerTrace[]>>(`/api/traces/${TRACE_A.toUpperCase()}`);
    expect(status).toBe(200);
    const trace = body.data[0] as JaegerTrace;
    expect(trace.traceID).toBe(TRACE_A);
    expect(trace.spans.map((s) => s.spanID)).toStrictEqual([
      'a000000000000001',
      'a000000000000006',
      'a000000000000002',
      'a000000000000003',
      'a000000000000004',
      'a000000000000005',
    ]);
    expect(trace.spans[3]?.references).toStrictEqual([
      { refType: 'CHILD_OF', traceID: TRACE_A, spanID: 'a000000000000002' },
    ]);
    expect(trace.spans[3]?.tags).toContainEqual({ key: 'ml.batch.size', type: 'int64', value: 2 });
  });

  it.each([
    ['no service', '/api/traces', 400, "parameter 'service' is required"],
    [
      'max below min',
      '/api/traces?service=web&minDuration=2s&maxDuration=1s',
      400,
      "'maxDuration' should be greater than 'minDuration'",
    ],
    ['a bad duration', '/api/traces?service=web&minDuration=fast', 400, "unable to parse param 'minDuration'"],
    ['bad tags JSON', '/api/traces?service=web&tags=%7Bnope', 400, "malformed 'tags' parameter"],
    ['a bad tag', '/api/traces?service=web&tag=novalue', 400, "malformed 'tag' parameter"],
    ['a bad start', '/api/traces?service=web&start=yesterday', 400, "unable to parse param 'start'"],
    ['operations without a service', '/api/operations', 400, "parameter 'service' is required"],
    ['an unknown trace', '/api/traces/cccccccccccccccc3333333333333333', 404, 'not found'],
    [
      'an id that is neither a trace id nor a request id',
      '/api/traces/xyz',
      404,
      'no stored span carries it as ml.request.id',
    ],
    ['a bad dependency end', '/api/dependencies?endTs=soon', 400, "unable to parse param 'endTs'"],
  ])('answers %s with Jaeger’s error envelope', async (_label, url, status, message) => {
    const res = await get<JaegerEnvelope<null> & { error: { code: string; message: string } }>(url);
    expect(res.status).toBe(status);
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]?.code).toBe(status);
    expect(res.body.errors?.[0]?.msg).toContain(message);
    expect(res.body.error.message).toContain(message);
    expect(res.body.error.code).toBe(status === 404 ? 'trace_not_found' : 'invalid_parameter');
  });

  it('derives dependencies from the stored call graph', async () => {
    const { body } = await get(`/api/dependencies?endTs=${Number(NOW_NANO / 1_000_000n)}&lookback=3600000`);
    expect(body).toStrictEqual({
      data: [
        { parent: 'iris-sidecar', child: 'iris-model', callCount: 1 },
        { parent: 'web', child: 'feature-store', callCount: 1 },
        { parent: 'web', child: 'iris-sidecar', callCount: 1 },
      ],
      total: 0,
      limit: 0,
      offset: 0,
      errors: null,
    });
  });

  it('finds no dependencies outside the window', async () => {
    const { body } = await get(`/api/dependencies?endTs=${Number(NOW_NANO / 1_000_000n) - 3_600_000}&lookback=60000`);
    expect(body.data).toStrictEqual([]);
  });
});

describe('Jaeger /api/transform (the UI’s OTLP file upload)', () => {
  it('turns the golden OTLP input into the golden Jaeger output', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${JAEGER_API_PREFIX}/api/transform`,
      headers: { 'content-type': 'application/json' },
      payload: readFixture('jaeger', 'otlp-in.json'),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toStrictEqual(readFixtureJson('jaeger', 'jaeger-ui-out.json'));
  });

  it('takes a file labelled as anything', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${JAEGER_API_PREFIX}/api/transform`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: readFixture('jaeger', 'otlp-in.json'),
    });
    expect(res.json<JaegerEnvelope<JaegerTrace[]>>().data[0]?.spans).toHaveLength(3);
  });

  it('refuses a body that is not OTLP/JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `${JAEGER_API_PREFIX}/api/transform`,
      headers: { 'content-type': 'text/plain' },
      payload: '[1,2]',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<JaegerEnvelope<null>>().errors?.[0]?.msg).toContain('resourceSpans');
  });
});
