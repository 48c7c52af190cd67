import { describe, expect, it } from 'vitest';
import type { AttributeValue, SpanRecord } from '../../../shared/span-record.js';
import type { RejectCode, SpanCandidate } from '../../../collector/receiver/validate.js';
import {
  DEFAULT_LIMITS,
  describeRejections,
  partitionSpans,
  validateSpan,
} from '../../../collector/receiver/validate.js';
import { spanRecord } from '../support/span-record-factory.js';

const NOW = 1_800_000_000_000_000_000n; // 2027-01-15
const L = DEFAULT_LIMITS;
const DAY = 86_400_000_000_000n;

function nested(depth: number): AttributeValue {
  let v: AttributeValue = 'leaf';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const manyAttributes = (n: number): Record<string, AttributeValue> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));

describe('validateSpan', () => {
  it.each<[string, Partial<SpanRecord>, RejectCode]>([
    ['a 31-digit trace id', { traceId: 'a'.repeat(31) }, 'bad_trace_id'],
    ['a 33-digit trace id', { traceId: 'a'.repeat(33) }, 'bad_trace_id'],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, 'bad_trace_id'],
    ['an empty trace id', { traceId: '' }, 'bad_trace_id'],
    ['a trace id that is not hex', { traceId: 'g'.repeat(32) }, 'bad_trace_id'],
    ['an 8-digit span id', { spanId: 'abcdef01' }, 'bad_span_id'],
    ['an all-zero span id', { spanId: '0'.repeat(16) }, 'bad_span_id'],
    ['a short parent id', { parentSpanId: 'abc' }, 'bad_parent_span_id'],
    ['an all-zero parent id', { parentSpanId: '0'.repeat(16) }, 'bad_parent_span_id'],
    ['an end before the start', { startTimeUnixNano: NOW - 10n, endTimeUnixNano: NOW - 11n }, 'end_before_start'],
    ['a start of 0 (unset)', { startTimeUnixNano: 0n, endTimeUnixNano: NOW }, 'timestamp_out_of_range'],
    ['a start in 1999', { startTimeUnixNano: L.earliestNano - 1n, endTimeUnixNano: NOW }, 'timestamp_out_of_range'],
    [
      'an end more than a day ahead',
      { startTimeUnixNano: NOW, endTimeUnixNano: NOW + DAY + 1n },
      'timestamp_out_of_range',
    ],
    ['a key over the length limit', { attributes: { ['k'.repeat(L.maxKeyLength + 1)]: 1 } }, 'attribute_over_limit'],
    [
      'a string over the length limit',
      { attributes: { s: 'x'.repeat(L.maxStringLength + 1) } },
      'attribute_over_limit',
    ],
    [
      'an array over the length limit',
      { attributes: { a: new Array<number>(L.maxArrayLength + 1).fill(1) } },
      'attribute_over_limit',
    ],
    ['a value nested too deep', { attributes: { deep: nested(L.maxDepth + 1) } }, 'attribute_over_limit'],
    ['a value nested far too deep', { attributes: { deep: nested(100_000) } }, 'attribute_over_limit'],
    ['a map nested too deep', { attributes: { m: { a: { b: nested(L.maxDepth - 1) } } } }, 'attribute_over_limit'],
    ['too many attributes', { attributes: manyAttributes(L.maxAttributes + 1) }, 'attribute_over_limit'],
    ['a span name over the limit', { name: 'n'.repeat(L.maxStringLength + 1) }, 'attribute_over_limit'],
    [
      'an event attribute over the limit',
      { events: [{ timeUnixNano: NOW, name: 'e', attributes: { s: 'x'.repeat(L.maxStringLength + 1) } }] },
      'attribute_over_limit',
    ],
    [
      'a link with a bad trace id',
      { links: [{ traceId: 'abc', spanId: 'a'.repeat(16), traceState: '', attributes: {} }] },
      'malformed_span',
    ],
  ])('rejects %s', (_name, overrides, code) => {
    const problem = validateSpan(spanRecord(NOW, overrides), NOW);
    expect(problem?.code).toBe(code);
    expect(problem?.message.length).toBeGreaterThan(10);
  });

  it.each<[string, Partial<SpanRecord>]>([
    ['a root span', {}],
    ['a child span', { parentSpanId: 'b'.repeat(16) }],
    ['a zero-length span', { startTimeUnixNano: NOW, endTimeUnixNano: NOW }],
    ['a span starting on 2000-01-01', { startTimeUnixNano: L.earliestNano, endTimeUnixNano: L.earliestNano }],
    ['a span ending exactly a day ahead', { startTimeUnixNano: NOW, endTimeUnixNano: NOW + DAY }],
    ['a value nested exactly to the limit', { attributes: { deep: nested(L.maxDepth) } }],
    ['a key exactly at the limit', { attributes: { ['k'.repeat(L.maxKeyLength)]: true } }],
    ['an array exactly at the limit', { attributes: { a: new Array<number>(L.maxArrayLength).fill(0) } }],
    ['exactly the most attributes', { attributes: manyAttributes(L.maxAttributes) }],
    ['null and map values', { attributes: { n: null, m: { a: 1, b: [true, 'x'] } } }],
  ])('accepts %s', (_name, overrides) => {
    expect(validateSpan(spanRecord(NOW, overrides), NOW)).toBeUndefined();
  });

  it('takes its limits as a parameter', () => {
    const span = spanRecord(NOW, { attributes: { a: [1, 2, 3] } });
    expect(validateSpan(span, NOW, { ...L, maxArrayLength: 2 })?.code).toBe('attribute_over_limit');
    expect(validateSpan(span, NOW, { ...L, maxArrayLength: 3 })).toBeUndefined();
  });
});

describe('partitionSpans', () => {
  it('keeps the valid neighbours of rejected spans, in order', () => {
    const good1 = spanRecord(NOW, { name: 'good-1' });
    const bad = spanRecord(NOW, { spanId: '0'.repeat(16) });
    const good2 = spanRecord(NOW, { name: 'good-2' });
    const decoderProblem: SpanCandidate = {
      span: spanRecord(NOW),
      problem: { code: 'malformed_span', message: 'kind 9 is not an OTLP SpanKind' },
    };
    const { accepted, rejected } = partitionSpans(
      [{ span: good1 }, { span: bad }, decoderProblem, { span: good2 }],
      NOW,
    );
    expect(accepted.map((s) => s.name)).toEqual(['good-1', 'good-2']);
    expect(rejected.map((r) => [r.code, r.spanId])).toEqual([
      ['bad_span_id', bad.spanId],
      ['malformed_span', decoderProblem.span.spanId],
    ]);
  });

  it('rejects every span under a resource that is over the limits, and only those', () => {
    const badResource = { 'service.name': 'x', huge: 'y'.repeat(L.maxStringLength + 1) };
    const spans = [
      spanRecord(NOW, { resource: badResource }),
      spanRecord(NOW, { resource: badResource }),
      spanRecord(NOW),
    ];
    const { accepted, rejected } = partitionSpans(
      spans.map((span) => ({ span })),
      NOW,
    );
    expect(accepted).toEqual([spans[2]]);
    expect(rejected).toHaveLength(2);
    expect(rejected[0]?.message).toMatch(/^resource/);
  });

  it('describes the rejections for the sender, naming the first few', () => {
    const spans = Array.from({ length: 5 }, () => ({ span: spanRecord(NOW, { traceId: '0'.repeat(32) }) }));
    const { rejected } = partitionSpans(spans, NOW);
    const message = describeRejections(rejected, 7);
    expect(message).toMatch(/^rejected 5 of 7 spans: /);
    expect(message).toContain(`span ${spans[0]?.span.spanId}`);
    expect(message).toMatch(/and 2 more$/);
  });
});
