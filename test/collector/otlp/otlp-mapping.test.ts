import { describe, expect, it } from 'vitest';
import { toOtlpAnyValue, toOtlpJson } from '../../../collector/otlp/otlp-mapping.js';
import { readFixtureJson } from '../../support/fixtures.js';
import { decodeOtlpJson, fixtureSpans } from '../support/decode-otlp-json.js';
import { makeSpan } from '../support/span-builder.js';

describe('spans → OTLP/JSON', () => {
  it.each([
    ['text', 'a', { stringValue: 'a' }],
    ['boolean', true, { boolValue: true }],
    ['whole number as int64 text', 42, { intValue: '42' }],
    ['negative whole number', -7, { intValue: '-7' }],
    ['fraction', 0.5, { doubleValue: 0.5 }],
    ['unsafe integer as a double', 2 ** 60, { doubleValue: 2 ** 60 }],
    ['NaN as text', Number.NaN, { doubleValue: 'NaN' }],
    ['empty', null, {}],
    ['array', [1, 'x'], { arrayValue: { values: [{ intValue: '1' }, { stringValue: 'x' }] } }],
    ['map', { a: false }, { kvlistValue: { values: [{ key: 'a', value: { boolValue: false } }] } }],
  ] as const)('encodes a %s', (_label, value, want) => {
    expect(toOtlpAnyValue(value as never)).toStrictEqual(want);
  });

  it('gives back the golden OTLP input it was decoded from (less the schema URL it does not keep)', () => {
    const input = readFixtureJson<{ resourceSpans: Record<string, unknown>[] }>('jaeger', 'otlp-in.json');
    const expected = { resourceSpans: input.resourceSpans.map(({ schemaUrl: _drop, ...rest }) => rest) };
    expect(toOtlpJson(fixtureSpans('jaeger', 'otlp-in.json'))).toStrictEqual(expected);
  });

  it('round-trips every field through the collector’s OTLP/JSON receiver', () => {
    const spans = [
      makeSpan({
        parentSpanId: '1111111111111111',
        traceState: 'vendor=1',
        attributes: {
          'ml.batch.size': 2,
          'ml.input.x': [0.5, 1.5],
          'ml.output.label': 'setosa',
          nested: { a: [true] },
        },
        events: [
          { timeUnixNano: 1_706_678_909_210_000_001n, name: 'exception', attributes: { 'exception.message': 'x' } },
        ],
        links: [
          {
            traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
            spanId: '2222222222222222',
            traceState: 'a=b',
            attributes: { k: 'v' },
          },
        ],
        status: { code: 'ERROR', message: 'boom' },
        flags: 257,
      }),
      makeSpan({
        spanId: '0000000000000002',
        parentSpanId: '00f067aa0ba902b7',
        kind: 'CLIENT',
        scope: { name: 'undici', version: '' },
      }),
      makeSpan({
        spanId: '0000000000000003',
        kind: 'INTERNAL',
        serviceName: 'iris-model',
        resource: { 'service.name': 'iris-model', 'host.name': 'gpu-1' },
      }),
    ];
    const body = toOtlpJson(spans);
    expect(body.resourceSpans.map((r) => r.scopeSpans.map((s) => [s.scope.name, s.spans.length]))).toStrictEqual([
      [
        ['infertrace-sidecar', 1],
        ['undici', 1],
      ],
      [['infertrace-sidecar', 1]],
    ]);
    const back = decodeOtlpJson(body);
    const byId = (a: { spanId: string }, b: { spanId: string }): number => (a.spanId < b.spanId ? -1 : 1);
    expect(back.sort(byId)).toStrictEqual([...spans].sort(byId));
  });

  it('writes an empty request for no spans', () => {
    expect(toOtlpJson([])).toStrictEqual({ resourceSpans: [] });
  });
});
