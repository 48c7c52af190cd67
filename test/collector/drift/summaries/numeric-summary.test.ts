import { describe, expect, it } from 'vitest';
import { NumericSummary } from '../../../../collector/drift/summaries/numeric-summary.js';
import { populationStd } from '../../../../collector/drift/statistics/wasserstein.js';
import { encodeSummary } from '../../../../collector/drift/summaries/summary-codec.js';
import { seeded } from '../../support/seeded.js';

const r = seeded(11);
const sample = Array.from({ length: 3000 }, () => r.normal(5, 3));

describe('NumericSummary', () => {
  it.each([
    ['present values', [1, 2, 3], 3, 0],
    ['missing values', [null, undefined, Number.NaN, Infinity, -Infinity], 0, 5],
    ['a mix', [1.5, null, -2, Number.NaN], 2, 2],
  ])('counts %s', (_, values, count, missing) => {
    const s = NumericSummary.fromValues(values);
    expect([s.count, s.missing]).toEqual([count, missing]);
  });

  it('keeps min, max, mean and population variance of what it saw', () => {
    const s = NumericSummary.fromValues(sample);
    expect(s.min).toBe(Math.min(...sample));
    expect(s.max).toBe(Math.max(...sample));
    expect(s.mean).toBeCloseTo(sample.reduce((a, b) => a + b, 0) / sample.length, 10);
    expect(Math.sqrt(s.variance())).toBeCloseTo(populationStd(sample), 10);
  });

  it('merge of parts equals the summary of the whole', () => {
    const whole = NumericSummary.fromValues(sample);
    const a = NumericSummary.fromValues(sample.slice(0, 1000));
    const b = NumericSummary.fromValues(sample.slice(1000));
    a.merge(b);
    expect([a.count, a.min, a.max]).toEqual([whole.count, whole.min, whole.max]);
    expect(a.mean).toBeCloseTo(whole.mean, 10);
    expect(a.m2).toBeCloseTo(whole.m2, 6);
    expect(a.log.buckets()).toEqual(whole.log.buckets());
    expect(a.linear.buckets()).toEqual(whole.linear.buckets());
  });

  it('remove takes one value back out (erasure): buckets as if never added, mean and variance restored', () => {
    const without = NumericSummary.fromValues(sample);
    const withIt = NumericSummary.fromValues([...sample.slice(0, 1500), 7.25, ...sample.slice(1500)]);
    expect(withIt.remove(7.25)).toBe(true);
    expect(withIt.count).toBe(without.count);
    expect(withIt.log.buckets()).toEqual(without.log.buckets());
    expect(withIt.linear.buckets()).toEqual(without.linear.buckets());
    expect(withIt.mean).toBeCloseTo(without.mean, 9);
    expect(withIt.variance()).toBeCloseTo(without.variance(), 6);
  });

  it('after removing the maximum, max no longer reveals it (widened to a bucket bound)', () => {
    const s = NumericSummary.fromValues([1, 2, 3, 1000]);
    expect(s.remove(1000)).toBe(true);
    expect(s.max).not.toBe(1000);
    expect(s.max).toBeGreaterThanOrEqual(3);
    expect(s.max).toBeLessThan(1000);
  });

  it('refuses to remove values it cannot hold, leaving itself unchanged', () => {
    const s = NumericSummary.fromValues([1, 2, 3]);
    const before = encodeSummary(s);
    expect(s.remove(50)).toBe(false);
    expect(s.remove(null)).toBe(false);
    expect(encodeSummary(s)).toEqual(before);
  });

  it('tracks the coarsest power-of-two grid all values sit on', () => {
    expect(NumericSummary.fromValues([1, 2, 5]).granularity).toBe(0);
    expect(NumericSummary.fromValues([0.5, 2]).granularity).toBe(-1);
    expect(NumericSummary.fromValues([0.1]).granularity).toBeLessThan(-50);
  });
});
