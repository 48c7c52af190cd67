import { describe, expect, it } from 'vitest';
import { isRequestSpan, seriesKeyOf } from '../../../../collector/metrics/latency/request-spans.js';
import type { SpanKind } from '../../../../shared/span-record.js';
import { requestSpan } from './latency-spans.js';

describe('which spans count as requests', () => {
  it.each<[SpanKind, string, boolean]>([
    ['SERVER', '', true],
    ['SERVER', 'aaaaaaaaaaaaaaaa', true],
    ['CONSUMER', 'aaaaaaaaaaaaaaaa', true],
    ['INTERNAL', '', true],
    ['UNSPECIFIED', '', true],
    ['INTERNAL', 'aaaaaaaaaaaaaaaa', false],
    ['UNSPECIFIED', 'aaaaaaaaaaaaaaaa', false],
    ['CLIENT', '', false],
    ['CLIENT', 'aaaaaaaaaaaaaaaa', false],
    ['PRODUCER', '', false],
  ])('%s span with parent "%s" → %s', (kind, parentSpanId, expected) => {
    expect(isRequestSpan({ kind, parentSpanId })).toBe(expected);
  });
});

describe('series key of a span', () => {
  it.each([
    [
      { model: 'iris', version: '3' },
      { model: 'iris', version: '3' },
    ],
    [{}, { model: '', version: '' }],
    [{ model: 'iris' }, { model: 'iris', version: '' }],
  ])('model attributes %j → %j', (attrs, expected) => {
    const span = requestSpan({ startMs: 0, durationMs: 1, service: 'svc', operation: 'op', ...attrs });
    expect(seriesKeyOf(span)).toEqual({ service: 'svc', operation: 'op', ...expected });
  });

  it('writes a non-string version as text', () => {
    const span = requestSpan({ startMs: 0, durationMs: 1 });
    span.attributes['ml.model.version'] = 2;
    expect(seriesKeyOf(span).version).toBe('2');
  });
});
