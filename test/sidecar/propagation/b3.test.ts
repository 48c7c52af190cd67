import { describe, expect, it } from 'vitest';
import { parseB3Multi, parseB3Single } from '../../../sidecar/propagation/b3.js';

const T128 = '80f198ee56343ba864fe8b2a57d3eff7';
const T64 = '64fe8b2a57d3eff7';
const S = 'e457b5a2e4d86bd1';
const PARENT = '05e3ac9a4f6e3b90';

describe('parseB3Single', () => {
  it.each([
    ['128-bit ids, accept', `${T128}-${S}-1`, { traceId: T128, spanId: S, sampling: 'accept' }],
    [
      '64-bit trace id is left-padded',
      `${T64}-${S}-1`,
      { traceId: `${'0'.repeat(16)}${T64}`, spanId: S, sampling: 'accept' },
    ],
    ['deny', `${T128}-${S}-0`, { traceId: T128, spanId: S, sampling: 'deny' }],
    ['debug', `${T128}-${S}-d`, { traceId: T128, spanId: S, sampling: 'debug' }],
    ['no sampling state: defer', `${T128}-${S}`, { traceId: T128, spanId: S, sampling: 'defer' }],
    ['with a parent span id', `${T128}-${S}-1-${PARENT}`, { traceId: T128, spanId: S, sampling: 'accept' }],
    ['b3: 0 alone', '0', { sampling: 'deny' }],
    ['b3: 1 alone', '1', { sampling: 'accept' }],
    ['b3: d alone', 'd', { sampling: 'debug' }],
  ])('reads %s', (_name, value, expected) => {
    expect(parseB3Single(value)).toEqual(expected);
  });

  it.each([
    ['empty', ''],
    ['garbage around valid ids', `xx${T128}-${S}-1`],
    ['upper-case ids', `${T128.toUpperCase()}-${S}-1`],
    ['a 48-character trace id', `${T128}${T64}-${S}-1`],
    ['an all-zero trace id', `${'0'.repeat(32)}-${S}-1`],
    ['an all-zero span id', `${T128}-${'0'.repeat(16)}-1`],
    ['a short span id', `${T128}-${S.slice(1)}-1`],
    ['an unknown sampling state', `${T128}-${S}-x`],
    ['a malformed parent', `${T128}-${S}-1-zz`],
    ['too many fields', `${T128}-${S}-1-${PARENT}-1`],
  ])('rejects %s', (_name, value) => {
    expect(parseB3Single(value)).toBeUndefined();
  });
});

describe('parseB3Multi', () => {
  it.each([
    ['ids with accept', { traceId: T128, spanId: S, sampled: '1' }, { traceId: T128, spanId: S, sampling: 'accept' }],
    [
      '64-bit trace id',
      { traceId: T64, spanId: S, sampled: '0' },
      { traceId: `${'0'.repeat(16)}${T64}`, spanId: S, sampling: 'deny' },
    ],
    [
      'debug flag wins',
      { traceId: T128, spanId: S, sampled: '0', flags: '1' },
      { traceId: T128, spanId: S, sampling: 'debug' },
    ],
    ['lenient true', { traceId: T128, spanId: S, sampled: 'true' }, { traceId: T128, spanId: S, sampling: 'accept' }],
    ['no sampled header: defer', { traceId: T128, spanId: S }, { traceId: T128, spanId: S, sampling: 'defer' }],
    ['X-B3-Sampled: 0 alone', { sampled: '0' }, { sampling: 'deny' }],
    ['X-B3-Flags: 1 alone', { flags: '1' }, { sampling: 'debug' }],
  ])('reads %s', (_name, headers, expected) => {
    expect(parseB3Multi(headers)).toEqual(expected);
  });

  it.each([
    ['nothing', {}],
    ['a trace id without a span id', { traceId: T128 }],
    ['a malformed sampled value', { traceId: T128, spanId: S, sampled: 'yes' }],
    ['an empty sampled value', { traceId: T128, spanId: S, sampled: '' }],
    ['a short trace id', { traceId: 'abc', spanId: S }],
    ['upper-case ids', { traceId: T128.toUpperCase(), spanId: S }],
  ])('rejects %s', (_name, headers) => {
    expect(parseB3Multi(headers)).toBeUndefined();
  });
});
