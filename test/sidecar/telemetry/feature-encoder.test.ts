import { ROOT_CONTEXT, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '../../../shared/span-record.js';
import { FeatureEncoder } from '../../../sidecar/telemetry/feature-encoder.js';
import { toOtelAttributes } from '../../../sidecar/telemetry/otel-attribute-values.js';
import { encodeTraceRequest } from '../../../sidecar/telemetry/otlp-proto.js';
import { attachEncodedAttributes } from '../../../sidecar/telemetry/pre-encoded-attributes.js';

/*
 * Features a capture thread encodes (feature-encoder.ts) and the exporter copies into the span
 * (pre-encoded-attributes.ts, otlp-proto.ts) must give the bytes the stock OpenTelemetry
 * serializer writes for the same span with those features set as attributes, after the span's own.
 */

const memory = new InMemorySpanExporter();
const tracer = new BasicTracerProvider({
  spanLimits: { attributeCountLimit: 2000 },
  spanProcessors: [new SimpleSpanProcessor(memory)],
}).getTracer('infertrace-sidecar', '1.2.3');
const parent = trace.setSpanContext(ROOT_CONTEXT, {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
});

function serverSpan(): ReadableSpan {
  memory.reset();
  tracer
    .startSpan('POST /v2/models/{model}/infer', { kind: SpanKind.SERVER, attributes: { 'server.port': 8080 } }, parent)
    .end();
  return memory.getFinishedSpans()[0] as ReadableSpan;
}

describe('features encoded in a capture thread', () => {
  const encoder = new FeatureEncoder(); // one for every case: keys cached, buffer reused
  it.each<[string, [string, string, AttributeValue][]]>([
    ['one number', [['ml.input.', 'age', 42]]],
    [
      'a double and a negative integer',
      [
        ['ml.input.', 'x', 0.25],
        ['ml.input.', 'y', -7],
      ],
    ],
    ['a batch of a thousand doubles', [['ml.input.', 'f0', Array.from({ length: 1000 }, (_, i) => i / 7)]]],
    ['strings, not only ASCII', [['ml.input.', 'note', ['ünïcödé ☃', '', 'x'.repeat(300)]]]],
    ['booleans', [['ml.output.', 'ok', [true, false]]]],
    ['a column with nulls (JSON text)', [['ml.input.', 'gap', [1, null, 3]]]],
    ['a column of mixed types (JSON text)', [['ml.input.', 'mix', [1, 'a']]]],
    ['an empty array', [['ml.input.', 'none', []]]],
    [
      'the same names again (cached keys)',
      [
        ['ml.input.', 'age', 43],
        ['ml.input.', 'x', 1.5],
      ],
    ],
    [
      'inputs and outputs of the same name',
      [
        ['ml.input.', 'p', 1],
        ['ml.output.', 'p', 2],
      ],
    ],
  ])('%s: the bytes of the span with those attributes set', (_name, features) => {
    encoder.start();
    for (const [prefix, name, value] of features) encoder.put(prefix, name, value);
    const encoded = encoder.finish() as string;
    const span = serverSpan();
    attachEncodedAttributes(span, encoded);
    const set = toOtelAttributes(Object.fromEntries(features.map(([prefix, name, v]) => [prefix + name, v])));
    // The span as the stock serializer would see it had the features been set one by one.
    const asSet = Object.create(span, { attributes: { value: { ...span.attributes, ...set } } }) as ReadableSpan;
    expect(
      Buffer.from(encodeTraceRequest([span])).equals(
        Buffer.from(ProtobufTraceSerializer.serializeRequest([asSet]) as Uint8Array),
      ),
    ).toBe(true);
  });

  it('nothing written: no bytes; a null is left out as the SDK path leaves it out', () => {
    encoder.start();
    expect(encoder.finish()).toBeUndefined();
    encoder.start();
    encoder.put('ml.input.', 'nil', null);
    expect(encoder.finish()).toBeUndefined();
  });
});
