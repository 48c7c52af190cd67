import { describe, expect, it } from 'vitest';
import { parseUberTraceId } from '../../../sidecar/propagation/jaeger.js';

const T = '80f198ee56343ba864fe8b2a57d3eff7';
const S = 'e457b5a2e4d86bd1';

describe('parseUberTraceId', () => {
  it.each([
    ['128-bit, sampled', `${T}:${S}:0:1`, { traceId: T, spanId: S, sampled: true, debug: false }],
    ['not sampled', `${T}:${S}:0:0`, { traceId: T, spanId: S, sampled: false, debug: false }],
    ['debug', `${T}:${S}:0:3`, { traceId: T, spanId: S, sampled: true, debug: true }],
    ['two-digit flags', `${T}:${S}:0:01`, { traceId: T, spanId: S, sampled: true, debug: false }],
    [
      'short ids are left-padded',
      'abc:def:0:1',
      { traceId: `${'0'.repeat(29)}abc`, spanId: `${'0'.repeat(13)}def`, sampled: true, debug: false },
    ],
    ['URL-encoded colons', `${T}%3A${S}%3A0%3A1`, { traceId: T, spanId: S, sampled: true, debug: false }],
    [
      'upper-case hex is normalised',
      `${T.toUpperCase()}:${S}:0:1`,
      { traceId: T, spanId: S, sampled: true, debug: false },
    ],
  ])('reads %s', (_name, value, expected) => {
    expect(parseUberTraceId(value)).toEqual(expected);
  });

  it.each([
    ['three fields', `${T}:${S}:1`],
    ['five fields', `${T}:${S}:0:1:1`],
    ['a zero trace id', `0:${S}:0:1`],
    ['a zero span id', `${T}:0:0:1`],
    ['a 33-digit trace id', `${T}a:${S}:0:1`],
    ['non-hex flags', `${T}:${S}:0:x`],
    ['three-digit flags', `${T}:${S}:0:001`],
    ['a non-hex parent', `${T}:${S}:-:1`],
    ['a malformed escape', `${T}%zz${S}:0:1`],
  ])('rejects %s', (_name, value) => {
    expect(parseUberTraceId(value)).toBeUndefined();
  });
});
