import { describe, expect, it } from 'vitest';
import {
  jaegerEnvelope,
  toJaegerFile,
  toJaegerLogs,
  toJaegerReferences,
  toJaegerSpanTags,
  toJaegerTrace,
} from '../../../collector/jaeger/jaeger-mapping.js';
import { jaegerTraceId } from '../../../collector/jaeger/jaeger-ids.js';
import { toJaegerTag } from '../../../collector/jaeger/jaeger-tags.js';
import { readFixtureJson } from '../../support/fixtures.js';
import { fixtureSpans } from '../support/decode-otlp-json.js';
import { makeSpan } from '../support/span-builder.js';

describe('OTLP → Jaeger UI JSON', () => {
  it('matches the golden pair otlp-in.json → jaeger-ui-out.json exactly', () => {
    const golden = readFixtureJson('jaeger', 'jaeger-ui-out.json');
    const spans = fixtureSpans('jaeger', 'otlp-in.json');
    expect(JSON.parse(JSON.stringify(jaegerEnvelope([toJaegerTrace(spans)])))).toStrictEqual(golden);
    expect(JSON.parse(JSON.stringify(toJaegerFile(spans)))).toStrictEqual(golden);
  });

  it.each([
    ['text', 'a', { type: 'string', value: 'a' }],
    ['whole number', 42, { type: 'int64', value: 42 }],
    ['fraction', 0.25, { type: 'float64', value: 0.25 }],
    ['boolean', false, { type: 'bool', value: false }],
    ['array', [1, 'x'], { type: 'string', value: '[1,"x"]' }],
    ['map', { a: 1 }, { type: 'string', value: '{"a":1}' }],
    ['empty', null, { type: 'string', value: '' }],
  ] as const)('types a %s attribute', (_label, value, want) => {
    expect(toJaegerTag('k', value as never)).toStrictEqual({ key: 'k', ...want });
  });

  it.each([
    ['a 64-bit trace id (high half zero) with 16 digits', '0000000000000000a3ce929d0e0e4736', 'a3ce929d0e0e4736'],
    ['a 128-bit trace id with 32 digits', '4bf92f3577b34da6a3ce929d0e0e4736', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ])('prints %s', (_label, id, want) => {
    expect(jaegerTraceId(id)).toBe(want);
  });

  it('orders span tags as Jaeger does: scope, attributes, kind, status code, error, description, tracestate', () => {
    const span = makeSpan({
      kind: 'CLIENT',
      attributes: { 'ml.model.name': 'iris', 'ml.batch.size': 2 },
      status: { code: 'ERROR', message: 'upstream timed out' },
      traceState: 'vendor=1',
    });
    expect(toJaegerSpanTags(span).map((t) => [t.key, t.type, t.value])).toStrictEqual([
      ['otel.scope.name', 'string', 'infertrace-sidecar'],
      ['otel.scope.version', 'string', '0.1.0'],
      ['ml.model.name', 'string', 'iris'],
      ['ml.batch.size', 'int64', 2],
      ['span.kind', 'string', 'client'],
      ['otel.status_code', 'string', 'ERROR'],
      ['error', 'bool', true],
      ['otel.status_description', 'string', 'upstream timed out'],
      ['w3c.tracestate', 'string', 'vendor=1'],
    ]);
  });

  it.each([
    ['UNSPECIFIED', 'UNSET', []],
    [
      'INTERNAL',
      'OK',
      [
        ['span.kind', 'internal'],
        ['otel.status_code', 'OK'],
      ],
    ],
    ['PRODUCER', 'UNSET', [['span.kind', 'producer']]],
    ['CONSUMER', 'UNSET', [['span.kind', 'consumer']]],
  ] as const)('kind %s with status %s adds %j', (kind, code, want) => {
    const span = makeSpan({ kind, status: { code, message: '' }, scope: { name: '', version: '' } });
    expect(toJaegerSpanTags(span).map((t) => [t.key, t.value])).toStrictEqual(want);
  });

  it('makes the parent the first CHILD_OF reference and links FOLLOWS_FROM (or CHILD_OF when they say so)', () => {
    const span = makeSpan({
      parentSpanId: '1111111111111111',
      links: [
        { traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: '2222222222222222', traceState: '', attributes: {} },
        {
          traceId: '00000000000000000000000000000abc',
          spanId: '3333333333333333',
          traceState: '',
          attributes: { 'opentracing.ref_type': 'child_of' },
        },
      ],
    });
    expect(toJaegerReferences(span)).toStrictEqual([
      { refType: 'CHILD_OF', traceID: span.traceId, spanID: '1111111111111111' },
      { refType: 'FOLLOWS_FROM', traceID: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanID: '2222222222222222' },
      { refType: 'CHILD_OF', traceID: '0000000000000abc', spanID: '3333333333333333' },
    ]);
  });

  it('lets a link to the parent set the parent reference type instead of repeating it', () => {
    const span = makeSpan({
      parentSpanId: '1111111111111111',
      links: [{ traceId: makeSpan().traceId, spanId: '1111111111111111', traceState: '', attributes: {} }],
    });
    expect(toJaegerReferences(span)).toStrictEqual([
      { refType: 'FOLLOWS_FROM', traceID: span.traceId, spanID: '1111111111111111' },
    ]);
  });

  it('turns events into logs in microseconds with the name as the `event` field', () => {
    const span = makeSpan({
      events: [
        { timeUnixNano: 1_706_678_909_210_000_999n, name: 'exception', attributes: { 'exception.type': 'Timeout' } },
        { timeUnixNano: 1_706_678_909_211_000_000n, name: 'ignored', attributes: { event: 'own' } },
      ],
    });
    expect(toJaegerLogs(span)).toStrictEqual([
      {
        timestamp: 1_706_678_909_210_000,
        fields: [
          { key: 'event', type: 'string', value: 'exception' },
          { key: 'exception.type', type: 'string', value: 'Timeout' },
        ],
      },
      { timestamp: 1_706_678_909_211_000, fields: [{ key: 'event', type: 'string', value: 'own' }] },
    ]);
  });

  it('shares one process between spans of equal resources and numbers them in order of appearance', () => {
    const sidecar = makeSpan({
      spanId: '0000000000000001',
      resource: { 'service.name': 'iris-sidecar', 'host.name': 'a' },
    });
    const model = makeSpan({
      spanId: '0000000000000002',
      parentSpanId: '0000000000000001',
      serviceName: 'iris-model',
      resource: { 'service.name': 'iris-model' },
    });
    const again = makeSpan({
      spanId: '0000000000000003',
      resource: { 'service.name': 'iris-sidecar', 'host.name': 'a' },
    });
    const trace = toJaegerTrace([sidecar, model, again]);
    expect(trace.spans.map((s) => s.processID)).toStrictEqual(['p1', 'p2', 'p1']);
    expect(trace.processes).toStrictEqual({
      p1: { serviceName: 'iris-sidecar', tags: [{ key: 'host.name', type: 'string', value: 'a' }] },
      p2: { serviceName: 'iris-model', tags: [] },
    });
  });

  it('measures duration from nanoseconds, truncated to microseconds', () => {
    const trace = toJaegerTrace([makeSpan({ startTimeUnixNano: 1_999n, endTimeUnixNano: 3_000n })]);
    expect([trace.spans[0]?.startTime, trace.spans[0]?.duration]).toStrictEqual([1, 1]);
  });

  it('gives an empty document for no spans', () => {
    expect(toJaegerFile([])).toStrictEqual({ data: [], total: 0, limit: 0, offset: 0, errors: null });
  });
});
