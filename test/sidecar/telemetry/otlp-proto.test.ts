import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
  type Attributes,
  type Link,
} from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { encodeTraceRequest } from '../../../sidecar/telemetry/otlp-proto.js';
import { ProtoTraceExporter } from '../../../sidecar/telemetry/otlp-proto-exporter.js';

/*
 * The sidecar's protobuf encoder must write exactly the bytes of the stock OpenTelemetry
 * serializer: every case compares the two byte for byte.
 */

const PARENT = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: true,
};

function recorder(resource: Attributes = { 'service.name': 'test' }, schemaUrl?: string) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes(resource, schemaUrl ? { schemaUrl } : undefined),
    spanLimits: { attributeCountLimit: 2000 },
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  return { provider, spans: () => memory.getFinishedSpans() };
}

function one(
  attributes: Attributes,
  options: { links?: Link[]; remote?: boolean; traceState?: string } = {},
): ReadableSpan[] {
  const r = recorder();
  const parent =
    options.remote === false
      ? undefined
      : trace.setSpanContext(ROOT_CONTEXT, {
          ...PARENT,
          ...(options.traceState ? { traceState: new TraceState(options.traceState) } : {}),
        });
  const span = r.provider.getTracer('infertrace-sidecar', '1.2.3').startSpan(
    'POST /v2/models/{model}/infer',
    {
      kind: SpanKind.SERVER,
      attributes,
      ...(options.links ? { links: options.links } : {}),
    },
    parent,
  );
  span.end();
  return r.spans();
}

const same = (spans: ReadableSpan[]): void => {
  expect(
    Buffer.from(encodeTraceRequest(spans)).equals(
      Buffer.from(ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array),
    ),
  ).toBe(true);
};

describe("encodeTraceRequest (protobuf) writes the stock serializer's bytes", () => {
  it.each<[string, Attributes]>([
    ['no attributes', {}],
    [
      'strings, short and long, ASCII and not',
      { a: 'POST', b: 'x'.repeat(127), c: 'y'.repeat(128), d: 'z'.repeat(20_000), e: 'ünïcödé ☃ 🚀', f: '' },
    ],
    ['a lone surrogate', { a: 'bad \ud800 text' }],
    [
      'integers: small, negative, 32-bit, beyond 32-bit, beyond 2^53, -0',
      { a: 0, b: 1, c: -5, d: 2 ** 31, e: 2 ** 32 + 7, f: -(2 ** 40), g: 2 ** 60, h: -0 },
    ],
    [
      'doubles and non-finite numbers',
      { a: 0.1, b: -1.5e-300, c: Number.NaN, d: Number.POSITIVE_INFINITY, e: Number.NEGATIVE_INFINITY, f: 2 ** 64 },
    ],
    ['booleans', { a: true, b: false }],
    [
      'arrays of each type, empty, with holes of null',
      {
        a: [1, 2, 3],
        b: [0.5, 1.5],
        c: ['p', 'q'],
        d: [true],
        e: [],
        f: [1, null, 3] as number[],
        g: ['x'.repeat(200)],
      },
    ],
    ['an array of a thousand values (captured features)', { a: Array.from({ length: 1000 }, (_, i) => i / 7) }],
  ])('attributes: %s', (_name, attributes) => same(one(attributes)));

  it('a root span (no parent), unsampled flags', () => {
    const r = recorder();
    const span = r.provider.getTracer('t').startSpan('root', { kind: SpanKind.INTERNAL, root: true });
    span.end();
    same(r.spans());
  });

  it('trace state, links with attributes and trace state, events, error status with message', () => {
    const links: Link[] = [
      {
        context: {
          traceId: 'a'.repeat(32),
          spanId: 'b'.repeat(16),
          traceFlags: TraceFlags.NONE,
          isRemote: true,
          traceState: new TraceState('k=v'),
        },
        attributes: { l: 1 },
      },
      { context: { traceId: 'c'.repeat(32), spanId: 'd'.repeat(16), traceFlags: TraceFlags.SAMPLED } },
    ];
    const r = recorder();
    const parent = trace.setSpanContext(ROOT_CONTEXT, { ...PARENT, traceState: new TraceState('vendor=1,other=two') });
    const span = r.provider.getTracer('x').startSpan('client', { kind: SpanKind.CLIENT, links }, parent);
    span.addEvent('exception', { 'exception.type': 'upstream_reset', 'exception.message': 'reset' });
    span.addEvent('bare');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'the model server reset the connection' });
    span.end();
    same(r.spans());
  });

  it('several resources and scopes in one batch, grouped as the stock serializer groups them', () => {
    const a = recorder({ 'service.name': 'a', n: 1 }, 'https://opentelemetry.io/schemas/1.21.0');
    const b = recorder({ 'service.name': 'b' });
    for (const [r, scope] of [
      [a, 's1'],
      [b, 's1'],
      [a, 's2'],
      [a, 's1'],
    ] as const) {
      r.provider
        .getTracer(scope, '1', { schemaUrl: scope === 's2' ? 'https://example.com/s' : undefined })
        .startSpan(`op-${scope}`)
        .end();
    }
    same([...a.spans(), ...b.spans()]);
  });

  it('a batch larger than the reused buffer, then a small one: both right, the first result untouched', () => {
    const big = Array.from({ length: 40 }, () =>
      one({ a: Array.from({ length: 1000 }, (_, i) => i + 0.5), s: 'v'.repeat(300) }),
    ).flat();
    const first = encodeTraceRequest(big);
    const copy = Buffer.from(first);
    same(big);
    const small = one({ a: 1 });
    same(small);
    expect(Buffer.from(first).equals(copy)).toBe(true);
  });
});

describe('ProtoTraceExporter', () => {
  it('sends what the stock OTLP/HTTP protobuf exporter sends, with its Content-Type', async () => {
    const received: { type: string | undefined; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ type: req.headers['content-type'], body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
      const spans = one({ 'http.request.method': 'POST', 'ml.input.f0': [1.5, 2.5], 'server.port': 8080 });
      for (const exporter of [
        new ProtoTraceExporter({ url, timeoutMillis: 5000 }),
        new OTLPTraceExporter({ url, timeoutMillis: 5000 }),
      ]) {
        const code = await new Promise<number>((resolve) => exporter.export(spans, (r) => resolve(r.code)));
        expect(code).toBe(0);
        await exporter.shutdown();
      }
      expect(received).toHaveLength(2);
      expect(received[0]?.type).toBe(received[1]?.type);
      expect(received[0]?.body.equals(received[1]?.body as Buffer)).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
