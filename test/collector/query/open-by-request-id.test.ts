import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JaegerEnvelope, JaegerTrace } from '../../../collector/jaeger/jaeger-types.js';
import type { TraceJson } from '../../../collector/query/trace-json.js';
import type { ZipkinSpan } from '../../../collector/zipkin/zipkin-types.js';
import type { ReadApis } from './read-apis.js';
import { getJson, postZipkin, startReadApis } from './read-apis.js';

/**
 * An id that is not a stored trace id opens the most recent trace whose spans carry it as
 * ml.request.id, through the own, Jaeger and Zipkin trace endpoints, on a SQLite store fed over HTTP.
 */
const OLDER = 'aaaaaaaaaaaaaaaa1111111111111111';
const NEWER = 'bbbbbbbbbbbbbbbb2222222222222222';
const SINGLE = 'cccccccccccccccc3333333333333333';
const HEXLIKE = 'dddddddddddddddd4444444444444444';
const nowUs = Date.now() * 1000;

const serverSpan = (traceId: string, id: string, requestId: string, agoUs: number) => ({
  traceId,
  id,
  name: 'post /v2/models/iris/infer',
  kind: 'SERVER',
  timestamp: nowUs - agoUs,
  duration: 2_000,
  localEndpoint: { serviceName: 'iris-sidecar' },
  tags: { 'ml.request.id': requestId },
});

let apis: ReadApis;
beforeAll(async () => {
  apis = await startReadApis();
  const posted = await Promise.all([
    postZipkin(apis.url, [serverSpan(OLDER, '0000000000000001', 'req-42', 60_000_000)]),
    postZipkin(apis.url, [serverSpan(NEWER, '0000000000000002', 'req-42', 1_000_000)]),
    postZipkin(apis.url, [serverSpan(SINGLE, '0000000000000003', 'req-7', 2_000_000)]),
    // A request id that looks like a (64-bit) trace id but is stored as no trace id.
    postZipkin(apis.url, [serverSpan(HEXLIKE, '0000000000000004', '0123456789abcdef', 3_000_000)]),
  ]);
  expect(posted.map((p) => p.status)).toEqual([202, 202, 202, 202]);
});
afterAll(() => apis.close());

type Own = TraceJson & { openedByRequest?: { requestId: string; traceCount: number } };

describe('a request id in a trace URL', () => {
  it.each([
    ['req-7', SINGLE, 1],
    ['req-42', NEWER, 2],
    ['0123456789abcdef', HEXLIKE, 1],
  ])('%s opens trace %s through the own API, saying so', async (requestId, traceId, count) => {
    const { status, headers, body } = await getJson<Own>(`${apis.url}/api/traces/${requestId}`);
    expect(status).toBe(200);
    expect(body.traceId).toBe(traceId);
    expect(body.openedByRequest).toEqual({ requestId, traceCount: count });
    expect(headers.get('infertrace-opened-by')).toBe('request-id');
    expect(headers.get('infertrace-request-traces')).toBe(String(count));
  });

  it('opens the most recent trace through the Jaeger API, with a warning naming the choice', async () => {
    const { status, headers, body } = await getJson<JaegerEnvelope<JaegerTrace[]>>(
      `${apis.url}/jaeger/api/traces/req-42`,
    );
    expect(status).toBe(200);
    expect(body.data.map((t) => t.traceID)).toEqual([NEWER]);
    expect(body.data[0]!.warnings).toEqual([
      'opened by request id (ml.request.id); 2 traces carry it, this is the most recent',
    ]);
    expect(headers.get('infertrace-request-traces')).toBe('2');
  });

  it('opens the trace through the Zipkin API, saying so in headers', async () => {
    const { status, headers, body } = await getJson<ZipkinSpan[]>(`${apis.url}/api/v2/trace/req-7`);
    expect(status).toBe(200);
    expect(body.map((s) => s.traceId)).toEqual([SINGLE]);
    expect(headers.get('infertrace-opened-by')).toBe('request-id');
    expect(headers.get('infertrace-request-traces')).toBe('1');
  });

  it.each([
    ['own', `/api/traces/${OLDER}`, (b: unknown) => (b as Own).traceId],
    ['Jaeger', `/jaeger/api/traces/${OLDER}`, (b: unknown) => (b as JaegerEnvelope<JaegerTrace[]>).data[0]!.traceID],
    ['Zipkin', `/api/v2/trace/${OLDER}`, (b: unknown) => (b as ZipkinSpan[])[0]!.traceId],
  ])('a stored trace id still opens its own trace (%s), without the headers', async (_api, path, traceIdOf) => {
    const { status, headers, body } = await getJson<unknown>(`${apis.url}${path}`);
    expect(status).toBe(200);
    expect(traceIdOf(body)).toBe(OLDER);
    expect(headers.get('infertrace-opened-by')).toBeNull();
  });

  it.each(['/api/traces/req-missing', '/jaeger/api/traces/req-missing', '/api/v2/trace/req-missing'])(
    '%s: neither a trace nor a request → 404 trace_not_found',
    async (path) => {
      const { status, body } = await getJson<{ error: { code: string; message: string } }>(`${apis.url}${path}`);
      expect(status).toBe(404);
      expect(body.error.code).toBe('trace_not_found');
      expect(body.error.message).toContain('ml.request.id');
    },
  );
});
