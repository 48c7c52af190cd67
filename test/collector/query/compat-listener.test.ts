import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { type FastifyInstance } from 'fastify';
import { bareApp } from '../../support/bare-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JAEGER_API_PREFIX, jaegerQueryRoutes } from '../../../collector/jaeger/jaeger-query-routes.js';
import { zipkinReadRoutes } from '../../../collector/zipkin/zipkin-read-routes.js';
import type { JaegerEnvelope, JaegerTrace } from '../../../collector/jaeger/jaeger-types.js';
import type { ZipkinSpan } from '../../../collector/zipkin/zipkin-types.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { decodeOtlpJson } from '../support/decode-otlp-json.js';
import { zipkinProblems, zipkinSchemas } from '../support/zipkin-schema.js';
import { memorySpanStore } from '../support/memory-db.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

/**
 * Spans made by the OpenTelemetry SDK travel through the official OTLP/HTTP exporter into a store,
 * and come back out of the Jaeger and Zipkin read APIs on a real loopback listener. The same spans
 * also go through the official Zipkin exporter, so our Zipkin mapping can be held against it.
 */
let store: SqliteStore;
let app: FastifyInstance;
let base: string;
let traceId: string;
let t0: number;
const zipkinReceived: ZipkinSpan[] = [];

beforeAll(async () => {
  store = memorySpanStore();
  app = bareApp();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/v1/traces', async (request) => {
    await store.writeSpans(decodeOtlpJson((request.body as Buffer).toString('utf8')));
    return {};
  });
  app.post('/zipkin/api/v2/spans', async (request, reply) => {
    zipkinReceived.push(...(JSON.parse((request.body as Buffer).toString('utf8')) as ZipkinSpan[]));
    return reply.code(202).send();
  });
  await app.register(jaegerQueryRoutes({ traces: new TraceService(store) }), { prefix: JAEGER_API_PREFIX });
  await app.register(zipkinReadRoutes({ traces: new TraceService(store) }));
  base = await app.listen({ host: '127.0.0.1', port: 0 });

  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'iris-sidecar', 'k8s.pod.name': 'iris-0' }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${base}/v1/traces` })),
      new SimpleSpanProcessor(new ZipkinExporter({ url: `${base}/zipkin/api/v2/spans`, serviceName: 'iris-sidecar' })),
    ],
  });
  const tracer = provider.getTracer('infertrace-sidecar', '0.1.0');
  t0 = Date.now() - 1_000;
  const server = tracer.startSpan('POST /v2/models/iris/infer', {
    kind: SpanKind.SERVER,
    startTime: t0,
    attributes: { 'ml.request.id': 'req-7', 'ml.model.name': 'iris', 'ml.batch.size': 2, 'client.address': '10.0.0.7' },
  });
  const client = tracer.startSpan(
    'POST',
    { kind: SpanKind.CLIENT, startTime: t0 + 2, attributes: { 'peer.service': 'iris-model', 'server.port': 8000 } },
    trace.setSpan(context.active(), server),
  );
  client.addEvent('retry', t0 + 5);
  client.setStatus({ code: SpanStatusCode.ERROR, message: 'model answered 500' });
  client.end(t0 + 30);
  server.end(t0 + 40);
  traceId = server.spanContext().traceId;
  await provider.forceFlush();
  await provider.shutdown();
});

afterAll(async () => {
  await app.close();
  await store.close();
});

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(`${base}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('the read APIs on a real listener, fed by the OpenTelemetry SDK', () => {
  it('serves the trace to a Jaeger UI', async () => {
    const services = await getJson<JaegerEnvelope<string[]>>(`${JAEGER_API_PREFIX}/api/services`);
    expect(services.data).toStrictEqual(['iris-sidecar']);
    const { data } = await getJson<JaegerEnvelope<JaegerTrace[]>>(`${JAEGER_API_PREFIX}/api/traces/${traceId}`);
    const shown = data[0] as JaegerTrace;
    expect(shown.spans.map((s) => s.operationName)).toStrictEqual(['POST /v2/models/iris/infer', 'POST']);
    expect(shown.spans[1]?.references).toStrictEqual([
      { refType: 'CHILD_OF', traceID: traceId, spanID: shown.spans[0]?.spanID },
    ]);
    expect(shown.spans[1]?.tags).toContainEqual({ key: 'error', type: 'bool', value: true });
    expect(shown.spans[1]?.logs).toStrictEqual([
      { timestamp: (t0 + 5) * 1000, fields: [{ key: 'event', type: 'string', value: 'retry' }] },
    ]);
    expect([shown.spans[1]?.startTime, shown.spans[1]?.duration]).toStrictEqual([(t0 + 2) * 1000, 28_000]);
    expect(shown.processes.p1?.serviceName).toBe('iris-sidecar');
    expect(shown.processes.p1?.tags).toContainEqual({ key: 'k8s.pod.name', type: 'string', value: 'iris-0' });
  });

  it('serves the trace to Zipkin Lens, valid against the spec', async () => {
    const body = await getJson<ZipkinSpan[]>(`/api/v2/trace/${traceId}`);
    expect(zipkinProblems(zipkinSchemas.trace, body)).toBe('');
    const found = await getJson<ZipkinSpan[][]>(`/api/v2/traces?serviceName=iris-sidecar&annotationQuery=error`);
    expect(found.map((t) => t[0]?.traceId)).toStrictEqual([traceId]);
    expect(zipkinProblems(zipkinSchemas.listOfTraces, found)).toBe('');
  });

  it('maps to Zipkin as the official OpenTelemetry Zipkin exporter does, for the fields both define', async () => {
    const ours = await getJson<ZipkinSpan[]>(`/api/v2/trace/${traceId}`);
    const core = (s: ZipkinSpan): unknown => ({
      traceId: s.traceId,
      id: s.id,
      parentId: s.parentId,
      name: s.name,
      kind: s.kind,
      timestamp: s.timestamp,
      duration: s.duration,
      service: s.localEndpoint?.serviceName,
      annotations: s.annotations,
      status: s.tags?.['otel.status_code'],
      error: s.tags?.error,
      model: s.tags?.['ml.model.name'],
    });
    const byId = (a: ZipkinSpan, b: ZipkinSpan): number => (a.id < b.id ? -1 : 1);
    expect(zipkinReceived).toHaveLength(2);
    expect(ours.sort(byId).map(core)).toStrictEqual([...zipkinReceived].sort(byId).map(core));
    // Where the official exporter leaves the mapping's SHOULDs out, ours follows them.
    const client = ours.find((s) => s.kind === 'CLIENT');
    expect(client?.remoteEndpoint).toStrictEqual({ serviceName: 'iris-model' });
  });
});
