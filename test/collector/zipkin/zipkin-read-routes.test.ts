import { type FastifyInstance } from 'fastify';
import { bareApp } from '../../support/bare-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipkinReadRoutes } from '../../../collector/zipkin/zipkin-read-routes.js';
import type { ZipkinSpan } from '../../../collector/zipkin/zipkin-types.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { zipkinProblems, zipkinSchemas } from '../support/zipkin-schema.js';
import { NOW_NANO, TRACE_A, TRACE_B, traceA, traceB } from '../support/fixture-traces.js';
import { memorySpanStore } from '../support/memory-db.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

let store: SqliteStore;
let app: FastifyInstance;
const NOW_MS = Number(NOW_NANO / 1_000_000n);

beforeAll(async () => {
  store = memorySpanStore();
  await store.writeSpans([...traceA(), ...traceB()]);
  app = bareApp();
  await app.register(zipkinReadRoutes({ traces: new TraceService(store), now: () => NOW_NANO }));
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await store.close();
});

async function get<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json<T>() };
}

const ids = (traces: ZipkinSpan[][]): string[] => traces.map((t) => t[0]?.traceId ?? '');

describe('Zipkin v2 read API', () => {
  it('lists services as the spec’s string array', async () => {
    const { body } = await get('/api/v2/services');
    expect(body).toStrictEqual(['iris-model', 'iris-sidecar', 'web']);
    expect(zipkinProblems(zipkinSchemas.services, body)).toBe('');
  });

  it.each([
    ['web', ['GET /predict', 'GET features', 'POST']],
    ['WEB', ['GET /predict', 'GET features', 'POST']],
    ['nobody', []],
  ])('lists the span names of %s', async (service, want) => {
    expect((await get(`/api/v2/spans?serviceName=${service}`)).body).toStrictEqual(want);
  });

  it.each([
    ['web', ['feature-store', 'iris-sidecar']],
    ['iris-sidecar', ['127.0.0.1']],
    ['iris-model', []],
  ])('lists the remote services %s calls', async (service, want) => {
    expect((await get(`/api/v2/remoteServices?serviceName=${service}`)).body).toStrictEqual(want);
  });

  it.each([
    ['everything in the last day', '', [TRACE_B, TRACE_A]],
    ['serviceName', '?serviceName=iris-model', [TRACE_A]],
    ['serviceName in another case', '?serviceName=IRIS-MODEL', [TRACE_A]],
    ['spanName', '?serviceName=web&spanName=GET%20features', [TRACE_A]],
    ['spanName "all"', '?serviceName=iris-model&spanName=all', [TRACE_A]],
    ['a tag', `?annotationQuery=${encodeURIComponent('ml.request.id=req-2')}`, [TRACE_B]],
    ['the error word', '?annotationQuery=error', [TRACE_B]],
    ['an annotation word', '?annotationQuery=cache.miss', [TRACE_A]],
    [
      'words and tags together',
      `?serviceName=iris-sidecar&annotationQuery=${encodeURIComponent('error and http.response.status_code=500')}`,
      [TRACE_B],
    ],
    ['a status tag', `?annotationQuery=${encodeURIComponent('otel.status_code=ERROR')}`, [TRACE_B]],
    ['remoteServiceName', '?serviceName=web&remoteServiceName=feature-store', [TRACE_A]],
    ['minDuration (µs)', '?serviceName=iris-sidecar&minDuration=100000', [TRACE_B]],
    ['min and maxDuration', '?serviceName=iris-sidecar&minDuration=1000&maxDuration=50000', [TRACE_A]],
    ['limit', '?limit=1', [TRACE_B]],
    ['endTs and lookback', `?endTs=${NOW_MS - 55_000}&lookback=10000`, [TRACE_A]],
    ['a window with nothing', `?endTs=${NOW_MS - 120_000}&lookback=1000`, []],
  ])('finds traces by %s, each a valid ListOfTraces', async (_label, query, want) => {
    const { status, body } = await get<ZipkinSpan[][]>(`/api/v2/traces${query}`);
    expect(status).toBe(200);
    expect(ids(body)).toStrictEqual(want);
    expect(zipkinProblems(zipkinSchemas.listOfTraces, body)).toBe('');
  });

  it('gets one trace, valid against the Trace schema, accepting upper case ids', async () => {
    const { status, body } = await get<ZipkinSpan[]>(`/api/v2/trace/${TRACE_A.toUpperCase()}`);
    expect(status).toBe(200);
    expect(body.map((s) => s.id)).toStrictEqual([
      'a000000000000001',
      'a000000000000006',
      'a000000000000002',
      'a000000000000003',
      'a000000000000004',
      'a000000000000005',
    ]);
    expect(body[2]?.remoteEndpoint).toStrictEqual({ serviceName: 'iris-sidecar', port: 8080 });
    expect(zipkinProblems(zipkinSchemas.trace, body)).toBe('');
  });

  it('gets several traces at once', async () => {
    const { body } = await get<ZipkinSpan[][]>(`/api/v2/traceMany?traceIds=${TRACE_A},${TRACE_B}`);
    expect(ids(body).sort()).toStrictEqual([TRACE_A, TRACE_B]);
    expect(zipkinProblems(zipkinSchemas.listOfTraces, body)).toBe('');
  });

  it('derives dependency links, valid against the spec, with error counts', async () => {
    const { body } = await get(`/api/v2/dependencies?endTs=${NOW_MS}&lookback=3600000`);
    expect(body).toStrictEqual([
      { parent: 'iris-sidecar', child: 'iris-model', callCount: 1 },
      { parent: 'web', child: 'feature-store', callCount: 1 },
      { parent: 'web', child: 'iris-sidecar', callCount: 1 },
    ]);
    expect(zipkinProblems(zipkinSchemas.dependencies, body)).toBe('');
  });

  it('answers autocomplete with no keys', async () => {
    expect((await get('/api/v2/autocompleteKeys')).body).toStrictEqual([]);
  });

  it.each([
    ['spans without serviceName', '/api/v2/spans', 400, 'serviceName is required'],
    ['remoteServices without serviceName', '/api/v2/remoteServices', 400, 'serviceName is required'],
    ['maxDuration alone', '/api/v2/traces?maxDuration=10', 400, 'only valid together with minDuration'],
    [
      'maxDuration below minDuration',
      '/api/v2/traces?minDuration=10&maxDuration=5',
      400,
      'must not be less than minDuration',
    ],
    ['a zero limit', '/api/v2/traces?limit=0', 400, 'limit must be greater than 0'],
    ['a text lookback', '/api/v2/traces?lookback=1h', 400, 'lookback must be a whole number'],
    ['dependencies without endTs', '/api/v2/dependencies', 400, 'endTs is required'],
    [
      'an id that is neither a trace id nor a request id',
      '/api/v2/trace/nothex',
      404,
      'no stored span carries it as ml.request.id',
    ],
    ['an unknown trace', '/api/v2/trace/cccccccccccccccc3333333333333333', 404, 'not found'],
    ['traceMany with one id', `/api/v2/traceMany?traceIds=${TRACE_A}`, 400, 'at least two'],
  ])('refuses %s with a JSON error', async (_label, url, status, message) => {
    const { status: got, body } = await get<{ error: { code: string; message: string } }>(url);
    expect(got).toBe(status);
    expect(body.error.message).toContain(message);
    expect(body.error.code).toBe(status === 404 ? 'trace_not_found' : 'invalid_parameter');
  });
});
