import { describe, expect, it } from 'vitest';
import { LogHistogram } from '../../../../collector/drift/summaries/log-histogram.js';
import { seeded } from '../../support/seeded.js';

const total = (h: LogHistogram) => h.buckets().reduce((s, b) => s + b.count, 0);

describe('LogHistogram', () => {
  it.each([
    [0.01, 1],
    [0.01, 123.456],
    [0.005, -7.5],
    [0.005, 1e-200],
    [0.02, -3e150],
  ])('α=%f puts %f in a bucket whose representative is within relative α of it (DDSketch)', (alpha, value) => {
    const h = new LogHistogram(alpha);
    h.add(value);
    const [b] = h.buckets();
    const slack = 1e-12 * Math.abs(value);
    expect(b!.lo).toBeLessThanOrEqual(value + slack);
    expect(b!.hi).toBeGreaterThanOrEqual(value - slack);
    // DDSketch's representative 2γᵏ/(1+γ) is the harmonic mean of the bucket's bounds.
    const [a, c] = [Math.abs(b!.lo), Math.abs(b!.hi)];
    const representative = Math.sign(value) * (2 / (1 / a + 1 / c));
    expect(Math.abs(value - representative)).toBeLessThanOrEqual(alpha * Math.abs(value) * (1 + 1e-9));
  });

  it('merging equals adding everything to one histogram, negative values included', () => {
    const r = seeded(1);
    const values = Array.from({ length: 2000 }, () => r.normal(0, 50));
    const all = new LogHistogram();
    const left = new LogHistogram();
    const right = new LogHistogram();
    values.forEach((v, i) => {
      all.add(v);
      (i % 3 === 0 ? left : right).add(v);
    });
    left.merge(right);
    expect(left.buckets()).toEqual(all.buckets());
    expect(left.negative.total()).toBe(values.filter((v) => v < 0).length);
  });

  it('keeps at most binLimit consecutive keys, folding the smallest magnitudes towards zero', () => {
    const h = new LogHistogram(0.01, 64);
    for (let e = -30; e <= 30; e += 0.01) h.add(Math.pow(10, e));
    expect(h.positive.maxKey - h.positive.minKey + 1).toBeLessThanOrEqual(64);
    expect(h.buckets()[0]!.lo).toBe(0);
    expect(total(h)).toBe(h.positive.total());
  });

  it('merge is order independent when folds happen', () => {
    const r = seeded(2);
    const parts = [0, 1, 2].map((k) => {
      const h = new LogHistogram(0.01, 50);
      for (let i = 0; i < 500; i++) h.add(Math.exp(r.normal(k * 3, 4)));
      return h;
    });
    const ab = new LogHistogram(0.01, 50);
    [parts[0]!, parts[1]!, parts[2]!].forEach((p) => ab.merge(p));
    const ba = new LogHistogram(0.01, 50);
    [parts[2]!, parts[0]!, parts[1]!].forEach((p) => ba.merge(p));
    expect(ab.buckets()).toEqual(ba.buckets());
  });

  it('remove is the inverse of add and refuses what was never added', () => {
    const h = new LogHistogram();
    [3, -2, 0, 3].forEach((v) => h.add(v));
    const before = h.buckets();
    h.add(17);
    expect(h.remove(17)).toBe(true);
    expect(h.buckets()).toEqual(before);
    expect(h.remove(1000)).toBe(false);
    expect(h.buckets()).toEqual(before);
  });

  it('refuses to merge histograms of different accuracy', () => {
    expect(() => new LogHistogram(0.01).merge(new LogHistogram(0.02))).toThrow(RangeError);
  });
});
