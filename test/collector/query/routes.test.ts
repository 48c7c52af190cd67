import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { bareApp } from '../../support/bare-app.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRoutes } from '../../../collector/query/routes.js';
import {
  errorJsonSchema,
  operationsJsonSchema,
  requestJsonSchema,
  searchJsonSchema,
  servicesJsonSchema,
  traceJsonSchema,
} from '../../../collector/query/schemas.js';
import type { RequestJson, SearchJson, TraceJson } from '../../../collector/query/trace-json.js';
import type { SpanReader } from '../../../collector/storage/span-store.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { zipkinFixture } from '../assembly/zipkin-spans.js';
import { inferenceTrace, MS, T0 } from './inference-traces.js';
import { memorySpanStore } from '../support/memory-db.js';

const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const conforms = (schema: object, body: unknown): void => {
  const validate = ajv.compile(schema);
  expect(validate(body), ajv.errorsText(validate.errors)).toBe(true);
};

const store = memorySpanStore();
let app: FastifyInstance;
const ok = inferenceTrace({ requestId: 'req-ok', start: T0, durationMs: 20n });
const failed = inferenceTrace({
  requestId: 'req-failed',
  start: T0 + 1000n * MS,
  durationMs: 300n,
  error: true,
  model: 'resnet',
  version: '7',
});
// The same request id retried: two traces.
const retry1 = inferenceTrace({ requestId: 'req-retried', start: T0 + 2000n * MS });
const retry2 = inferenceTrace({ requestId: 'req-retried', start: T0 + 3000n * MS });
const skew = zipkinFixture('clock-skew.json').records;

beforeAll(async () => {
  await store.writeSpans([...ok, ...failed, ...retry1, ...retry2, ...skew]);
  app = bareApp();
  await app.register(queryRoutes({ traces: new TraceService(store) }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as unknown, type: res.headers['content-type'] };
};

describe('GET /api/traces/{traceId}', () => {
  it('returns the assembled tree with every span’s details', async () => {
    const { status, body } = await get(`/api/traces/${ok[0]!.traceId}`);
    expect(status).toBe(200);
    conforms(traceJsonSchema, body);
    const trace = body as TraceJson;
    expect(trace).toMatchObject({
      traceId: ok[0]!.traceId,
      rootService: 'iris-sidecar',
      rootOperation: 'POST /v2/models/{model}/infer',
      startTimeUnixNano: T0.toString(),
      startTimeMicros: Number(T0 / 1000n),
      startTime: '2024-05-01T12:00:00.000Z',
      durationNano: (20n * MS).toString(),
      durationMicros: 20_000,
      spanCount: 3,
      errorCount: 0,
      services: ['iris-sidecar', 'triton'],
      requestIds: ['req-ok'],
      warnings: [],
      rootSpanIds: [ok[0]!.spanId],
    });
    expect(trace.spans.map((s) => [s.spanId, s.depth, s.childSpanIds])).toEqual([
      [ok[0]!.spanId, 0, [ok[1]!.spanId]],
      [ok[1]!.spanId, 1, [ok[2]!.spanId]],
      [ok[2]!.spanId, 2, []],
    ]);
    const [server, , model] = trace.spans;
    expect(server!.attributes).toEqual(ok[0]!.attributes);
    expect(server!.kind).toBe('SERVER');
    expect(server!.resource).toEqual(ok[0]!.resource);
    expect(model).toMatchObject({
      serviceName: 'triton',
      status: { code: 'OK', message: '' },
      startTimeUnixNano: (T0 + 2n * MS).toString(),
      offsetMicros: 2000,
      durationMicros: 16_000,
      events: [
        {
          name: 'batch.scheduled',
          timeUnixNano: (T0 + 3n * MS).toString(),
          offsetMicros: 1000,
          attributes: { 'queue.depth': 1 },
        },
      ],
    });
  });

  it('carries the warnings of a skewed Zipkin trace, and accepts its 64-bit id', async () => {
    const { status, body } = await get('/api/traces/5E1C0A7D9B3F2468');
    expect(status).toBe(200);
    conforms(traceJsonSchema, body);
    const trace = body as TraceJson;
    expect(trace.traceId).toBe('00000000000000005e1c0a7d9b3f2468');
    expect(trace.warnings).toHaveLength(2);
    const server = trace.spans.find((s) => s.originalSpanId !== undefined)!;
    expect(server.originalSpanId).toBe('7a3b1c9d2e4f6081');
    expect(server.warnings[0]).toContain('clock skew');
    expect(server.depth).toBe(2);
  });

  it.each([
    [
      'unknown',
      'ffffffffffffffffffffffffffffffff',
      404,
      'trace_not_found',
      'no trace of that id is stored, and no stored span carries it as ml.request.id',
    ],
    [
      'not hex (and no request id)',
      'not-a-trace-id',
      404,
      'trace_not_found',
      'no stored span carries it as ml.request.id',
    ],
    ['short hex (and no request id)', 'abc', 404, 'trace_not_found', 'no trace of that id is stored'],
    ['all zeros (and no request id)', '0'.repeat(32), 404, 'trace_not_found', 'no trace of that id is stored'],
  ])('%s id → %i %s', async (_name, id, status, code, message) => {
    const res = await get(`/api/traces/${id}`);
    expect(res.status).toBe(status);
    expect(res.type).toMatch(/^application\/json/);
    conforms(errorJsonSchema, res.body);
    expect((res.body as { error: { code: string; message: string } }).error.code).toBe(code);
    expect((res.body as { error: { message: string } }).error.message).toContain(message);
  });
});

describe('GET /api/requests/{requestId}', () => {
  it('returns the trace whose span carries the request id', async () => {
    const { status, body } = await get('/api/requests/req-failed');
    expect(status).toBe(200);
    conforms(requestJsonSchema, body);
    const answer = body as RequestJson;
    expect(answer.requestId).toBe('req-failed');
    expect(answer.totalTraces).toBe(1);
    expect(answer.traces[0]!.traceId).toBe(failed[0]!.traceId);
    expect(answer.traces[0]!.errorCount).toBe(2);
  });

  it('returns every trace of a retried request id, most recent first', async () => {
    const answer = (await get('/api/requests/req-retried')).body as RequestJson;
    expect(answer.traces.map((t) => t.traceId)).toEqual([retry2[0]!.traceId, retry1[0]!.traceId]);
  });

  it('caps the traces per answer and says how many there are', async () => {
    const capped = bareApp();
    await capped.register(queryRoutes({ traces: new TraceService(store), maxTracesPerRequest: 1 }));
    const res = await capped.inject({ method: 'GET', url: '/api/requests/req-retried' });
    const answer = res.json() as RequestJson;
    expect([answer.traces.length, answer.totalTraces]).toEqual([1, 2]);
    await capped.close();
  });

  it('answers 404 with a hint for an unknown request id', async () => {
    const res = await get('/api/requests/nobody%20sent%20this');
    expect(res.status).toBe(404);
    conforms(errorJsonSchema, res.body);
    expect(res.body).toMatchObject({
      error: { code: 'request_not_found', message: expect.stringContaining('"nobody sent this"') },
    });
  });
});

describe('GET /api/traces (search)', () => {
  const ids = async (query: string) => {
    const res = await get(`/api/traces?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    conforms(searchJsonSchema, res.body);
    return (res.body as SearchJson).traces.map((t) => t.traceId);
  };
  const t = (spans: { traceId: string }[]) => spans[0]!.traceId;

  it.each([
    ['service=iris-sidecar', () => [t(retry2), t(retry1), t(failed), t(ok)]],
    ['service=triton&operation=infer&limit=2', () => [t(retry2), t(retry1)]],
    ['model=resnet&version=7', () => [t(failed)]],
    ['minDuration=250ms', () => [t(failed)]],
    [
      'maxDuration=0.02s&service=iris-sidecar&operation=POST%20%2Fv2%2Fmodels%2F%7Bmodel%7D%2Finfer',
      () => [t(retry2), t(retry1), t(ok)],
    ],
    ['error=true', () => [t(failed)]],
    ['error=false&service=iris-sidecar', () => [t(retry2), t(retry1), t(ok)]],
    ['tag=ml.request.id:req-ok', () => [t(ok)]],
    ['tag=http.response.status_code:500&tag=ml.model.name:resnet', () => [t(failed)]],
    ['tag=host.name:node-1&service=triton&limit=1', () => [t(retry2)]],
    [`start=${Number((T0 + 1500n * MS) / MS)}&service=iris-sidecar`, () => [t(retry2), t(retry1)]],
    ['start=2024-05-01&end=2024-05-01T12:00:00.5Z', () => [t(ok)]],
    ['end=2024-01-01', () => [t(skew)]],
    ['service=gateway', () => [t(skew)]],
    ['service=nobody', () => []],
  ])('%s', async (query, want) => {
    expect(await ids(query)).toEqual(want());
  });

  it('summarises each trace', async () => {
    const body = (await get('/api/traces?model=resnet')).body as SearchJson;
    expect(body.limit).toBe(20);
    expect(body.traces[0]).toEqual({
      traceId: t(failed),
      rootService: 'iris-sidecar',
      rootOperation: 'POST /v2/models/{model}/infer',
      startTimeUnixNano: (T0 + 1000n * MS).toString(),
      startTimeMicros: Number((T0 + 1000n * MS) / 1000n),
      startTime: '2024-05-01T12:00:01.000Z',
      durationNano: (300n * MS).toString(),
      durationMicros: 300_000,
      spanCount: 3,
      errorCount: 2,
      services: ['iris-sidecar', 'triton'],
      requestIds: ['req-failed'],
    });
  });

  it.each([
    ['limit=5000', 'invalid_parameter', 'query parameter "limit" must be a whole number from 1 to 1000, got "5000"'],
    ['minDuration=soon', 'invalid_parameter', 'query parameter "minDuration"'],
    ['start=last-tuesday', 'invalid_parameter', 'query parameter "start"'],
    ['tag=novalue', 'invalid_parameter', 'query parameter "tag"'],
    ['error=perhaps', 'invalid_parameter', 'query parameter "error"'],
    ['service=a&service=b', 'invalid_parameter', 'query parameter "service" must be string'],
    [
      `service=${'x'.repeat(300)}`,
      'invalid_parameter',
      'query parameter "service" must NOT have more than 256 characters',
    ],
    ['servce=iris', 'unknown_parameter', 'unknown query parameter "servce"; this endpoint takes service, operation'],
  ])('400 for %s', async (query, code, message) => {
    const res = await get(`/api/traces?${query}`);
    expect(res.status).toBe(400);
    conforms(errorJsonSchema, res.body);
    expect(res.body).toMatchObject({ error: { code, message: expect.stringContaining(message) } });
  });
});

describe('services and operations', () => {
  it('lists services', async () => {
    const res = await get('/api/services');
    expect(res.status).toBe(200);
    conforms(servicesJsonSchema, res.body);
    expect(res.body).toEqual({ services: ['gateway', 'iris-sidecar', 'model-server', 'triton'] });
  });

  it.each([
    [
      'iris-sidecar',
      [
        { name: 'POST', kind: 'CLIENT' },
        { name: 'POST /v2/models/{model}/infer', kind: 'SERVER' },
      ],
    ],
    [
      'model-server',
      [
        { name: 'post /infer', kind: 'SERVER' },
        { name: 'preprocess', kind: 'INTERNAL' },
      ],
    ],
    ['nobody', []],
  ])('lists the operations of %s', async (service, operations) => {
    const res = await get(`/api/services/${encodeURIComponent(service)}/operations`);
    expect(res.status).toBe(200);
    conforms(operationsJsonSchema, res.body);
    expect(res.body).toEqual({ service, operations });
  });
});

describe('when the store fails', () => {
  it('answers 500 storage_failed without leaking the cause', async () => {
    const broken = new Proxy({} as SpanReader, {
      get: () => async () => {
        throw new Error('SQLITE_IOERR: disk I/O error at /secret/path.db');
      },
    });
    const failing = bareApp({ logger: false });
    await failing.register(queryRoutes({ traces: new TraceService(broken) }));
    for (const url of ['/api/services', '/api/traces?service=x', `/api/traces/${'a'.repeat(32)}`, '/api/requests/r']) {
      const res = await failing.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        error: { code: 'storage_failed', message: expect.stringContaining('log has the cause') },
      });
      expect(res.body).not.toContain('/secret/path.db');
    }
    await failing.close();
  });
});
