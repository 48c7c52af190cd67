import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { OTLPTraceExporter as OtlpHttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ZipkinExporter } from '@opentelemetry/exporter-zipkin';
import { describe, expect, it } from 'vitest';
import type { SpanRecord } from '../../../shared/span-record.js';
import { listenForFile } from '../support/listen.js';
import { emitTrace, hrToNano, recordKind } from '../support/otel-sdk.js';

/**
 * End to end with the official OpenTelemetry exporters as clients, over real HTTP on loopback:
 * every span the SDK recorded must be in the store, complete and correct.
 */
type OtlpConfig = NonNullable<ConstructorParameters<typeof OtlpProtoExporter>[0]>;

const collector = listenForFile();
const { store, counters } = collector;

const byId = (spans: SpanRecord[]): Map<string, SpanRecord> => new Map(spans.map((s) => [s.spanId, s]));

function expectOtlpFaithful(stored: SpanRecord[], sdk: ReadableSpan[]): void {
  expect(stored).toHaveLength(sdk.length);
  const got = byId(stored);
  for (const s of sdk) {
    const r = got.get(s.spanContext().spanId);
    expect(r, `span ${s.name}`).toBeDefined();
    expect(r).toMatchObject({
      traceId: s.spanContext().traceId,
      parentSpanId: s.parentSpanContext?.spanId ?? '',
      name: s.name,
      kind: recordKind(s.kind),
      startTimeUnixNano: hrToNano(s.startTime),
      endTimeUnixNano: hrToNano(s.endTime),
      attributes: s.attributes,
      status: { code: ['UNSET', 'OK', 'ERROR'][s.status.code], message: s.status.message ?? '' },
      serviceName: s.resource.attributes['service.name'],
      resource: s.resource.attributes,
      scope: { name: s.instrumentationScope.name, version: s.instrumentationScope.version ?? '' },
    });
    expect((r?.flags ?? 0) & 0xff).toBe(s.spanContext().traceFlags);
    expect(r?.events).toEqual(
      s.events.map((e) => ({ timeUnixNano: hrToNano(e.time), name: e.name, attributes: e.attributes ?? {} })),
    );
    expect(r?.links).toEqual(
      s.links.map((l) => ({
        traceId: l.context.traceId,
        spanId: l.context.spanId,
        traceState: '',
        attributes: l.attributes ?? {},
      })),
    );
  }
}

describe('official OTLP exporters → POST /v1/traces → store', () => {
  it.each<[string, () => SpanExporter]>([
    ['http/json', () => new OtlpHttpJsonExporter({ url: `${collector.server.url}/v1/traces` })],
    ['http/protobuf', () => new OtlpProtoExporter({ url: `${collector.server.url}/v1/traces` })],
    [
      'http/protobuf with gzip',
      () => new OtlpProtoExporter({ url: `${collector.server.url}/v1/traces`, compression: 'gzip' } as OtlpConfig),
    ],
    [
      'http/json with gzip',
      () => new OtlpHttpJsonExporter({ url: `${collector.server.url}/v1/traces`, compression: 'gzip' } as OtlpConfig),
    ],
  ])('stores every span of a %s export complete and correct', async (name, exporter) => {
    const { traceId, spans } = await emitTrace(exporter(), `svc-${name}`, `req-${name}`);
    expect(spans).toHaveLength(4);
    expectOtlpFaithful(await store.getTrace(traceId), spans);
    expect(await store.findTraceIdsByRequestId(`req-${name}`)).toEqual([traceId]);
  });
});

describe('official Zipkin exporter → POST /api/v2/spans → store', () => {
  it('stores every span with its ids, kind, times, tags, status and service', async () => {
    const { traceId, spans } = await emitTrace(
      new ZipkinExporter({ url: `${collector.server.url}/api/v2/spans` }),
      'svc-zipkin',
      'req-zipkin',
    );
    const stored = byId(await store.getTrace(traceId));
    expect(stored.size).toBe(spans.length);
    const micros = (t: [number, number]): bigint => BigInt(Math.round(t[0] * 1e6 + t[1] / 1e3)) * 1000n;
    for (const s of spans) {
      const r = stored.get(s.spanContext().spanId);
      const tags = Object.fromEntries(
        Object.entries({ ...s.attributes, ...s.resource.attributes }).map(([k, v]) => [k, String(v)]),
      );
      expect(r).toMatchObject({
        traceId,
        parentSpanId: s.parentSpanContext?.spanId ?? '',
        name: s.name,
        kind: recordKind(s.kind),
        startTimeUnixNano: micros(s.startTime),
        endTimeUnixNano: micros(s.startTime) + BigInt(Math.round(s.duration[0] * 1e6 + s.duration[1] / 1e3)) * 1000n,
        status: { code: ['UNSET', 'OK', 'ERROR'][s.status.code], message: s.status.message ?? '' },
        serviceName: 'svc-zipkin',
        attributes: tags,
      });
      expect(r?.events.map((e) => e.name)).toEqual(s.events.map((e) => e.name));
    }
    expect(counters.snapshot().requests['zipkin 202']).toBeGreaterThan(0);
  });
});
