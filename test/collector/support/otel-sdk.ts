import type { Attributes as OtelAttributes, HrTime } from '@opentelemetry/api';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SpanKind as RecordKind } from '../../../shared/span-record.js';
import { SPAN_KINDS } from '../../../shared/span-record.js';

/**
 * Real OpenTelemetry SDK traces for end-to-end tests: a small call tree emitted through an official
 * exporter, with an in-memory copy of the same spans as the oracle for what must arrive.
 */
export interface EmittedTrace {
  traceId: string;
  /** The SDK's own view of every span emitted, in end order. */
  spans: ReadableSpan[];
}

export const hrToNano = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** OpenTelemetry API SpanKind (INTERNAL = 0) → the record's kind (OTLP numbering, INTERNAL = 1). */
export const recordKind = (kind: SpanKind): RecordKind => SPAN_KINDS[kind + 1] as RecordKind;

/**
 * Emits one trace of four spans (SERVER root with typed attributes, an event and an error status;
 * a CLIENT child with a link; an INTERNAL grandchild; a CONSUMER sibling) through `exporter`,
 * then flushes and shuts the provider down.
 */
export async function emitTrace(exporter: SpanExporter, serviceName: string, requestId: string): Promise<EmittedTrace> {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'deployment.environment.name': 'test' }),
    spanProcessors: [new SimpleSpanProcessor(memory), new SimpleSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('infertrace-e2e', '0.0.1');
  const rootAttributes: OtelAttributes = {
    'ml.request.id': requestId,
    'http.request.method': 'POST',
    'http.response.status_code': 500,
    'ml.batch.size': 2,
    'ml.input.sepal_length': [5.1, 4.9],
    'ml.output.label': ['setosa', 'versicolor'],
    'ml.capture.ok': true,
  };
  const root = tracer.startSpan('POST /v2/models/iris/infer', { kind: SpanKind.SERVER, attributes: rootAttributes });
  root.addEvent('capture.done', { 'ml.capture.bytes': 512 });
  const rootCtx = trace.setSpan(context.active(), root);
  const client = tracer.startSpan(
    'upstream infer',
    {
      kind: SpanKind.CLIENT,
      attributes: { 'server.address': 'model', 'server.port': 9000 },
      links: [{ context: root.spanContext(), attributes: { 'link.why': 'retry-of' } }],
    },
    rootCtx,
  );
  const inner = tracer.startSpan('serialize', { kind: SpanKind.INTERNAL }, trace.setSpan(rootCtx, client));
  inner.end();
  client.end();
  const consumer = tracer.startSpan('feedback', { kind: SpanKind.CONSUMER }, rootCtx);
  consumer.setStatus({ code: SpanStatusCode.OK });
  consumer.end();
  root.setStatus({ code: SpanStatusCode.ERROR, message: 'model returned 500' });
  root.end();
  await provider.forceFlush();
  // Taken before shutdown, which empties the in-memory exporter.
  const spans = [...memory.getFinishedSpans()];
  await provider.shutdown();
  return { traceId: root.spanContext().traceId, spans };
}
