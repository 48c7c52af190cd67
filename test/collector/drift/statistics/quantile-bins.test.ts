import { describe, expect, it } from 'vitest';
import { binBounds, binIndex, quantileEdges } from '../../../../collector/drift/statistics/quantile-bins.js';
import { ksFromStatistic, ksTwoSample, roundHalfEven } from '../../../../collector/drift/statistics/ks-two-sample.js';
import { smoothShares } from '../../../../collector/drift/statistics/shares.js';

describe('binIndex: underflow, [e0,e1), …, [e_{k-1},e_k], overflow', () => {
  const edges = [0, 10, 20, 30];
  it.each([
    [-1, 0],
    [0, 1],
    [9.99, 1],
    [10, 2],
    [29.9, 3],
    [30, 3],
    [30.01, 4],
  ])('%f → bin %i', (value, bin) => {
    expect(binIndex(edges, value)).toBe(bin);
  });

  it.each([
    [4.9, 0],
    [5, 1],
    [5.1, 2],
  ])('a single edge [5]: %f → bin %i', (value, bin) => {
    expect(binIndex([5], value)).toBe(bin);
  });

  it('bin bounds follow the same layout', () => {
    expect([0, 1, 3, 4].map((i) => binBounds(edges, i))).toEqual([
      { lower: null, upper: 0 },
      { lower: 0, upper: 10 },
      { lower: 20, upper: 30 },
      { lower: 30, upper: null },
    ]);
  });

  it('tie-heavy references give fewer, distinct edges', () => {
    const edges2 = quantileEdges(Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 2, 3]));
    expect(edges2).toEqual([...new Set(edges2)]);
    expect(edges2.length).toBeLessThan(11);
  });
});

describe('KS helpers', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [3.5, 4],
    [2.4, 2],
    [2.6, 3],
  ])('roundHalfEven(%f) = %i like numpy', (x, expected) => {
    expect(roundHalfEven(x)).toBe(expected);
  });

  it('rejects an empty sample and ignores non-finite values', () => {
    expect(() => ksTwoSample([], [1])).toThrow(RangeError);
    expect(ksTwoSample([1, 2, Number.NaN], [1, 2, Infinity])).toEqual(ksTwoSample([1, 2], [1, 2]));
  });

  it('a statistic of 0 has p-value 1', () => {
    expect(ksFromStatistic(0, 50, 70).pValue).toBe(1);
  });
});

describe('smoothShares', () => {
  it('gives empty bins epsilon and still sums to 1', () => {
    const s = smoothShares([0.5, 0.5, 0], 1e-4);
    expect(s.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    expect(s[2]).toBeCloseTo(1e-4 / 1.0001, 15);
  });
});
