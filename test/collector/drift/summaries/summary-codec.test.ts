import { describe, expect, it } from 'vitest';
import { CategoricalSummary } from '../../../../collector/drift/summaries/categorical-summary.js';
import { NumericSummary } from '../../../../collector/drift/summaries/numeric-summary.js';
import { decodeSummary, encodeSummary } from '../../../../collector/drift/summaries/summary-codec.js';
import { seeded } from '../../support/seeded.js';

const r = seeded(21);

describe('summary codec', () => {
  it.each([
    ['normal', () => r.normal(0, 1)],
    ['offset and narrow', () => r.normal(40.7, 0.01)],
    ['heavy-tailed', () => Math.exp(r.normal(0, 3)) * (r.uniform() < 0.3 ? -1 : 1)],
    ['integers', () => Math.round(r.normal(50, 10))],
  ])('round-trips a numeric summary (%s) and is compact', (_, draw) => {
    const s = NumericSummary.fromValues([...Array.from({ length: 5000 }, draw), null, 0]);
    const bytes = encodeSummary(s);
    const back = decodeSummary(bytes) as NumericSummary;
    expect(back).toBeInstanceOf(NumericSummary);
    expect([back.count, back.missing, back.min, back.max, back.mean, back.m2, back.granularity]).toEqual([
      s.count,
      s.missing,
      s.min,
      s.max,
      s.mean,
      s.m2,
      s.granularity,
    ]);
    expect(back.log.buckets()).toEqual(s.log.buckets());
    expect(back.linear.buckets()).toEqual(s.linear.buckets());
    expect(back.options()).toEqual(s.options());
    const buckets = s.log.bucketCount() + s.linear.counts.size;
    expect(bytes.length).toBeLessThan(100 + 5 * buckets);
  });

  it('a decoded summary keeps merging like the original', () => {
    const a = NumericSummary.fromValues([1, 2, 3, -4]);
    const b = NumericSummary.fromValues([10, -20]);
    const decoded = decodeSummary(encodeSummary(a)) as NumericSummary;
    decoded.merge(b);
    a.merge(b);
    expect(decoded.log.buckets()).toEqual(a.log.buckets());
    expect(decoded.count).toBe(6);
  });

  it('round-trips an empty numeric summary', () => {
    const back = decodeSummary(encodeSummary(new NumericSummary())) as NumericSummary;
    expect([back.count, back.min, back.max, back.granularity]).toEqual([0, Infinity, -Infinity, Infinity]);
  });

  it('round-trips a categorical summary with "other" and missing values', () => {
    const s = CategoricalSummary.fromValues(['a', 'b', 'c', 'a', null, 'é'], { maxCategories: 3 });
    const back = decodeSummary(encodeSummary(s)) as CategoricalSummary;
    expect(back).toBeInstanceOf(CategoricalSummary);
    expect(Object.fromEntries(back.categoryCounts())).toEqual(Object.fromEntries(s.categoryCounts()));
    expect([back.missing, back.maxCategories]).toEqual([1, 3]);
  });

  it('rejects bytes that are not a summary', () => {
    expect(() => decodeSummary(new Uint8Array([]))).toThrow(RangeError);
  });
});
