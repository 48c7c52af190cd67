import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JaegerEnvelope, JaegerTrace } from '../../../collector/jaeger/jaeger-types.js';
import type { TraceJson } from '../../../collector/query/trace-json.js';
import type { ZipkinSpan } from '../../../collector/zipkin/zipkin-types.js';
import type { ReadApis } from '../query/read-apis.js';
import { getJson, postZipkin, startReadApis } from '../query/read-apis.js';

/**
 * Zipkin spans without `timestamp` (late data about a span) are stored and, when the trace is read,
 * folded into the timed half of the same id: ingested in separate POSTs into SQLite, read back
 * through the own, Jaeger and Zipkin APIs. A lone one is shown at its parent's start, with a warning.
 */
const TRACE = '4444444444444444dddddddddddddddd';
const LONE_TRACE = '5555555555555555eeeeeeeeeeeeeeee';
const t0 = (Date.now() - 10_000) * 1000;
const backend = { serviceName: 'backend' };
const frontend = { serviceName: 'frontend' };

const root = {
  traceId: TRACE,
  id: '00000000000000a1',
  name: 'get /',
  kind: 'SERVER',
  timestamp: t0,
  duration: 10_000,
  localEndpoint: frontend,
};
const client = {
  traceId: TRACE,
  id: '00000000000000a2',
  parentId: '00000000000000a1',
  name: 'get /api',
  kind: 'CLIENT',
  timestamp: t0 + 1_000,
  duration: 5_000,
  localEndpoint: frontend,
  remoteEndpoint: backend,
};
// The server side of the shared span: timed in one POST, its late tags and annotation in another.
const serverTimed = {
  traceId: TRACE,
  id: '00000000000000a2',
  parentId: '00000000000000a1',
  name: 'get /api',
  kind: 'SERVER',
  shared: true,
  timestamp: t0 + 2_000,
  duration: 3_000,
  localEndpoint: backend,
};
const serverLate = {
  traceId: TRACE,
  id: '00000000000000a2',
  kind: 'SERVER',
  shared: true,
  localEndpoint: backend,
  tags: { 'http.status_code': '503', error: 'overloaded' },
  annotations: [{ timestamp: t0 + 4_000, value: 'retry.scheduled' }],
};
// A late half whose timed half never arrives.
const loneRoot = {
  traceId: LONE_TRACE,
  id: '00000000000000b1',
  name: 'get /',
  kind: 'SERVER',
  timestamp: t0,
  duration: 8_000,
  localEndpoint: frontend,
};
const loneLate = {
  traceId: LONE_TRACE,
  id: '00000000000000b2',
  parentId: '00000000000000b1',
  name: 'cache.get',
  localEndpoint: frontend,
  tags: { hit: 'false' },
};

let apis: ReadApis;
beforeAll(async () => {
  apis = await startReadApis();
  const statuses = [];
  for (const body of [[root, client, serverTimed], [serverLate], [serverLate], [loneRoot], [loneLate]]) {
    const res = await postZipkin(apis.url, body);
    expect(res.body).toBe(''); // no span rejected
    statuses.push(res.status);
  }
  expect(statuses).toEqual([202, 202, 202, 202, 202]);
});
afterAll(() => apis.close());

describe('Zipkin spans without a timestamp', () => {
  it('are stored, the late half beside the timed half of the same id and kind (a repeat of it is not)', async () => {
    const spans = await apis.store.getTrace(TRACE);
    expect(
      spans
        .filter((s) => s.spanId === '00000000000000a2' && s.kind === 'SERVER')
        .map((s) => s.startTimeUnixNano === 0n),
    ).toEqual([false, true]);
  });

  it('are folded into the timed half by the own API', async () => {
    const { status, body } = await getJson<TraceJson>(`${apis.url}/api/traces/${TRACE}`);
    expect(status).toBe(200);
    expect(body.warnings).toEqual([]);
    const server = body.spans.find((s) => s.kind === 'SERVER' && s.serviceName === 'backend')!;
    expect(body.spans).toHaveLength(3);
    expect(server).toMatchObject({
      startTimeMicros: t0 + 2_000,
      durationMicros: 3_000,
      status: { code: 'ERROR', message: 'overloaded' },
      attributes: { 'http.status_code': '503', 'zipkin.shared': true },
    });
    expect(server.events.map((e) => e.name)).toEqual(['retry.scheduled']);
    expect(server.parentSpanId).toBe('00000000000000a2'); // under the client side, after the shared id was split
  });

  it('are folded into the timed half by the Jaeger API', async () => {
    const { body } = await getJson<JaegerEnvelope<JaegerTrace[]>>(`${apis.url}/jaeger/api/traces/${TRACE}`);
    const trace = body.data[0]!;
    expect(trace.spans).toHaveLength(3);
    const server = trace.spans.find((s) => trace.processes[s.processID]?.serviceName === 'backend')!;
    expect(server.startTime).toBe(t0 + 2_000);
    expect(server.duration).toBe(3_000);
    expect(server.tags).toContainEqual({ key: 'http.status_code', type: 'string', value: '503' });
    expect(server.logs.map((l) => l.timestamp)).toEqual([t0 + 4_000]);
  });

  it('are folded into the timed half by the Zipkin API', async () => {
    for (const path of [`/api/v2/trace/${TRACE}`, `/zipkin/api/v2/trace/${TRACE}`]) {
      const { body } = await getJson<ZipkinSpan[]>(`${apis.url}${path}`);
      expect(body).toHaveLength(3);
      const server = body.find((s) => s.kind === 'SERVER' && s.localEndpoint?.serviceName === 'backend')!;
      expect(server).toMatchObject({
        timestamp: t0 + 2_000,
        duration: 3_000,
        shared: true,
        tags: { 'http.status_code': '503', error: 'overloaded' },
      });
      expect(server.annotations?.map((a) => a.value)).toEqual(['retry.scheduled']);
    }
  });

  it("are folded into the timed half in the own API's other formats (?format=jaeger)", async () => {
    const { body } = await getJson<JaegerEnvelope<JaegerTrace[]>>(`${apis.url}/api/traces/${TRACE}?format=jaeger`);
    const spans = body.data[0]!.spans;
    expect(spans).toHaveLength(3);
    expect(spans.every((s) => s.startTime >= t0)).toBe(true);
  });

  it('without a timed half: shown at its parent start with a warning (own, Jaeger), without a timestamp (Zipkin)', async () => {
    const own = (await getJson<TraceJson>(`${apis.url}/api/traces/${LONE_TRACE}`)).body;
    const lone = own.spans.find((s) => s.spanId === '00000000000000b2')!;
    expect(lone).toMatchObject({ startTimeMicros: t0, durationMicros: 0, depth: 1, attributes: { hit: 'false' } });
    expect(own.warnings).toEqual([
      `span 00000000000000b2 (frontend "cache.get"): sent without a timestamp, and no timed span of the same id arrived; shown at its parent's start`,
    ]);
    const jaeger = (await getJson<JaegerEnvelope<JaegerTrace[]>>(`${apis.url}/jaeger/api/traces/${LONE_TRACE}`)).body
      .data[0]!;
    expect(jaeger.spans.find((s) => s.spanID === '00000000000000b2')?.startTime).toBe(t0);
    const zipkin = (await getJson<ZipkinSpan[]>(`${apis.url}/api/v2/trace/${LONE_TRACE}`)).body;
    const late = zipkin.find((s) => s.id === '00000000000000b2')!;
    expect(late.timestamp).toBeUndefined();
    expect(late.tags).toEqual({ hit: 'false' });
  });

  it('do not move the trace to 1970 in searches', async () => {
    const { body } = await getJson<{ traces: { traceId: string; startTimeUnixNano: string }[] }>(
      `${apis.url}/api/traces?service=frontend&limit=5`,
    );
    expect(body.traces.map((t) => [t.traceId, t.startTimeUnixNano])).toEqual(
      expect.arrayContaining([
        [TRACE, String(BigInt(t0) * 1000n)],
        [LONE_TRACE, String(BigInt(t0) * 1000n)],
      ]),
    );
  });
});
