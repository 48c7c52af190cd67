import { describe, expect, it } from 'vitest';
import { granularityExponent } from '../../../../collector/drift/summaries/granularity.js';

describe('granularityExponent', () => {
  // value = odd · 2^e, so the expected exponent is read off the construction.
  it.each([
    [1, 0],
    [3, 0],
    [24, 3],
    [-6, 1],
    [0.5, -1],
    [0.75, -2],
    [2 ** 60, 60],
    [5 * 2 ** -1074, -1074],
    [0, Infinity],
    [Number.NaN, Infinity],
  ])('%f → %f', (value, expected) => {
    expect(granularityExponent(value)).toBe(expected);
  });

  it('is about −55 for a decimal fraction that is not a dyadic rational', () => {
    expect(granularityExponent(0.1)).toBeLessThan(-50);
  });
});
