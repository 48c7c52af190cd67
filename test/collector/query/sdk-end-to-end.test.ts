import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../collector/app.js';
import { run } from '../../../collector/cli/trace.js';
import { queryRoutes } from '../../../collector/query/routes.js';
import type { RequestJson } from '../../../collector/query/trace-json.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import { memorySpanStore } from '../support/memory-db.js';

/**
 * Official OpenTelemetry exporters (OTLP/HTTP JSON, OTLP/HTTP protobuf, Zipkin) deliver a two-service
 * inference trace to the collector app; the query API and `infertrace trace` give it back whole
 * and correctly nested: sidecar SERVER → sidecar CLIENT → model SERVER → model INTERNAL.
 */
const store = memorySpanStore();
let app: FastifyInstance;
let base: string;

beforeAll(async () => {
  app = buildApp({
    store,
    plugins: [
      {
        name: 'query',
        register: async (scope) => {
          await scope.register(queryRoutes({ traces: new TraceService(store) }));
        },
      },
    ],
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await store.close();
});

/** The sidecar and the model server as two SDK providers, the model's spans children of the CLIENT span. */
async function emit(makeExporter: (service: string) => SpanExporter, requestId: string): Promise<string> {
  const provider = (service: string) =>
    new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: [new SimpleSpanProcessor(makeExporter(service))],
    });
  const sidecar = provider('iris-sidecar');
  const model = provider('iris-model');
  const t0 = Date.now() - 1000;
  const server = sidecar.getTracer('infertrace-sidecar').startSpan('POST /v2/models/{model}/infer', {
    kind: SpanKind.SERVER,
    startTime: t0,
    attributes: {
      'ml.request.id': requestId,
      'ml.model.name': 'iris',
      'ml.input.sepal_length': 5.1,
      'ml.output.label': 'setosa',
    },
  });
  const client = sidecar
    .getTracer('infertrace-sidecar')
    .startSpan('POST', { kind: SpanKind.CLIENT, startTime: t0 + 1 }, trace.setSpan(context.active(), server));
  const handler = model
    .getTracer('model')
    .startSpan('infer', { kind: SpanKind.SERVER, startTime: t0 + 2 }, trace.setSpan(context.active(), client));
  const inner = model
    .getTracer('model')
    .startSpan('predict', { startTime: t0 + 3 }, trace.setSpan(context.active(), handler));
  inner.setStatus({ code: SpanStatusCode.ERROR, message: 'nan in input' });
  inner.end(t0 + 8);
  handler.end(t0 + 9);
  client.end(t0 + 10);
  server.end(t0 + 11);
  await Promise.all([sidecar.shutdown(), model.shutdown()]);
  return server.spanContext().traceId;
}

const SHAPE = [
  [0, 'iris-sidecar', 'SERVER', 'POST /v2/models/{model}/infer'],
  [1, 'iris-sidecar', 'CLIENT', 'POST'],
  [2, 'iris-model', 'SERVER', 'infer'],
  [3, 'iris-model', 'INTERNAL', 'predict'],
];

describe('official exporters → collector → query API and CLI', () => {
  it.each([
    ['OTLP/HTTP JSON', () => new OtlpJsonExporter({ url: `${base}/v1/traces` })],
    ['OTLP/HTTP protobuf', () => new OtlpProtoExporter({ url: `${base}/v1/traces` })],
    ['Zipkin v2 JSON', (service: string) => new ZipkinExporter({ url: `${base}/api/v2/spans`, serviceName: service })],
  ] as [string, (service: string) => SpanExporter][])('%s', async (name, makeExporter) => {
    const requestId = `req-${name.replace(/\W+/g, '-')}`;
    const traceId = await emit(makeExporter, requestId);

    const res = await fetch(`${base}/api/requests/${requestId}`);
    expect(res.status).toBe(200);
    const answer = (await res.json()) as RequestJson;
    expect(answer.traces).toHaveLength(1);
    const got = answer.traces[0]!;
    expect(got.traceId).toBe(traceId);
    expect(got.warnings).toEqual([]);
    expect(got.spans.map((s) => [s.depth, s.serviceName, s.kind, s.name])).toEqual(SHAPE);
    expect(got.spans[0]!.attributes['ml.request.id']).toBe(requestId);
    // Zipkin tags are strings; OTLP keeps the number.
    expect(String(got.spans[0]!.attributes['ml.input.sepal_length'])).toBe('5.1');
    expect(got.spans[3]!.status.code).toBe('ERROR');
    expect(got.errorCount).toBe(1);

    let stdout = '';
    const code = await run([requestId, '--collector', base], {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: process.stderr,
      env: {},
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {6}└─ iris-model {2}predict {2}\[INTERNAL\] .* ✗ ERROR: nan in input$/m);
    expect(stdout).toMatch(/^│ {2}ml\.input\.sepal_length = 5\.1$/m);
  });
});
