import { describe, expect, it } from 'vitest';
import { SeriesIndex } from '../../../../collector/metrics/latency/series-index.js';

describe('SeriesIndex', () => {
  it.each([
    [[['s', 'o', 'm', 'v']], 1],
    [
      [
        ['s', 'o', 'm', 'v'],
        ['s', 'o', 'm', 'v'],
      ],
      1,
    ],
    [
      [
        ['s', 'o', 'm', '1'],
        ['s', 'o', 'm', '2'],
        ['s', 'o', '', ''],
        ['t', 'o', 'm', '1'],
      ],
      4,
    ],
    // Parts are kept apart: no concatenation can make two different keys collide.
    [
      [
        ['ab', 'c', '', ''],
        ['a', 'bc', '', ''],
      ],
      2,
    ],
  ])('keys %j make %d entries, each found again', (keys, size) => {
    const index = new SeriesIndex<string>();
    for (const k of keys) index.set(k[0]!, k[1]!, k[2]!, k[3]!, k.join('|'));
    expect(index.size).toBe(size);
    expect([...index.values()]).toHaveLength(size);
    for (const k of keys) expect(index.get(k[0]!, k[1]!, k[2]!, k[3]!)).toBe(k.join('|'));
    expect(index.get('missing', 'o', 'm', 'v')).toBeUndefined();
    index.clear();
    expect([index.size, [...index.values()].length]).toEqual([0, 0]);
  });
});
