import { describe, expect, it } from 'vitest';
import {
  blobToHex,
  decodeBody,
  encodeBody,
  hexToBlob,
  keyHash,
} from '../../../../collector/storage/sqlite/row-codec.js';
import type { SpanBody } from '../../../../collector/storage/sqlite/row-codec.js';

const T = 1_750_000_000_123_456_789n;
const empty: SpanBody = { attributes: {}, events: [], links: [], traceState: '', statusMessage: '', flags: 0 };

describe('row codec', () => {
  it.each<[string, SpanBody]>([
    ['an empty body', empty],
    [
      'attributes of every kind',
      { ...empty, attributes: { s: 'x', n: 1.5, b: true, z: null, a: [1, ['x']], o: { k: { j: 2 } } } },
    ],
    [
      'events after the start',
      {
        ...empty,
        events: [
          { timeUnixNano: T + 5n, name: 'e', attributes: {} },
          { timeUnixNano: T, name: 'f', attributes: { k: 1 } },
        ],
      },
    ],
    ['an event before the start', { ...empty, events: [{ timeUnixNano: T - 1n, name: 'early', attributes: {} }] }],
    ['an event years later', { ...empty, events: [{ timeUnixNano: T + 10n ** 17n, name: 'late', attributes: {} }] }],
    [
      'links',
      {
        ...empty,
        links: [
          { traceId: 'ab'.repeat(16), spanId: 'cd'.repeat(8), traceState: 'a=b', attributes: {} },
          { traceId: '01'.repeat(16), spanId: '02'.repeat(8), traceState: '', attributes: { n: 1 } },
        ],
      },
    ],
    ['trace state, status message, flags', { ...empty, traceState: 'v=1', statusMessage: 'bad', flags: 257 }],
    ['flags alone', { ...empty, flags: 1 }],
    ['attributes and flags', { ...empty, attributes: { k: 'v' }, flags: 769 }],
  ])('round-trips %s exactly', (_label, body) => {
    expect(decodeBody(encodeBody(body, T), T)).toEqual(body);
  });

  it('leaves empty parts out of the stored text', () => {
    expect(encodeBody(empty, T)).toBe('{}');
  });

  it.each([['00'.repeat(16)], ['0af7651916cd43dd8448eb211c80319c'], ['ffffffffffffffff']])(
    'turns hex %s into bytes and back',
    (hex) => {
      const blob = hexToBlob(hex);
      expect(blob.length).toBe(hex.length / 2);
      expect(blobToHex(blob)).toBe(hex);
    },
  );

  it('hashes texts to stable 53-bit keys that spread', () => {
    const keys = new Set<number>();
    for (let i = 0; i < 20_000; i++) {
      const k = keyHash(`req-${i}`);
      expect(Number.isSafeInteger(k) && k >= 0).toBe(true);
      keys.add(k);
    }
    expect(keys.size).toBe(20_000);
    expect(keyHash('req-1')).toBe(keyHash('req-1'));
    expect(keyHash('')).not.toBe(keyHash(' '));
  });
});
