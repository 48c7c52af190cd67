import { describe, expect, it } from 'vitest';
import { BloomFilter } from '../../../../../collector/storage/sqlite/key-index/bloom.js';

const keys = (from: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => ((from + i) * 7_919_123) % 2 ** 48);

describe('Bloom filter', () => {
  it.each([[1], [100], [10_000]])('never forgets one of %i keys', (n) => {
    const ks = keys(1, n);
    const f = BloomFilter.forKeys(ks, n);
    expect(ks.every((k) => f.mayContain(k))).toBe(true);
  });

  it('answers "absent" for nearly every other key (about 1% false positives)', () => {
    const f = BloomFilter.forKeys(keys(1, 10_000), 10_000);
    const others = keys(1_000_000, 20_000);
    const falsePositives = others.filter((k) => f.mayContain(k)).length;
    expect(falsePositives / others.length).toBeLessThan(0.03);
  });

  it('survives a trip through its bytes', () => {
    const f = BloomFilter.forKeys(keys(5, 500), 500);
    const copy = new BloomFilter(Uint8Array.from(f.bits));
    expect(keys(5, 500).every((k) => copy.mayContain(k))).toBe(true);
  });
});
