import { describe, expect, it } from 'vitest';
import { LinearHistogram } from '../../../../collector/drift/summaries/linear-histogram.js';
import { seeded } from '../../support/seeded.js';

describe('LinearHistogram', () => {
  it.each([
    ['a narrow spread far from zero', 40.7, 0.1],
    ['a wide spread around zero', 0, 1000],
    ['huge magnitudes', 1e200, 1e198],
  ])('holds %s in at most maxBins buckets of width below the range / (maxBins / 2)', (_, mean, sd) => {
    const r = seeded(3);
    const h = new LinearHistogram(256);
    const values = Array.from({ length: 5000 }, () => r.normal(mean, sd));
    values.forEach((v) => h.add(v));
    const range = Math.max(...values) - Math.min(...values);
    expect(h.counts.size).toBeLessThanOrEqual(256);
    expect(h.width()).toBeLessThanOrEqual((range / 128) * 1.0000001);
    const buckets = h.buckets();
    for (const v of values.slice(0, 50)) expect(buckets.some((x) => v >= x.lo && v < x.hi)).toBe(true);
  });

  it('merges exactly and in any order (power-of-two widths nest)', () => {
    const r = seeded(4);
    const parts = [1, 10, 100].map((sd) => {
      const h = new LinearHistogram(128);
      for (let i = 0; i < 1000; i++) h.add(r.normal(0, sd));
      return h;
    });
    const x = new LinearHistogram(128);
    parts.forEach((p) => x.merge(p));
    const y = new LinearHistogram(128);
    [...parts].reverse().forEach((p) => y.merge(p));
    expect(x.buckets()).toEqual(y.buckets());
    expect(x.buckets().reduce((s, b) => s + b.count, 0)).toBe(3000);
  });

  it('reports buckets at a coarser width on request', () => {
    const h = new LinearHistogram(64);
    [0.5, 1.5, 2.5, 3.5].forEach((v) => h.add(v));
    const coarse = h.buckets(1);
    expect(coarse).toEqual([
      { lo: 0, hi: 2, count: 2 },
      { lo: 2, hi: 4, count: 2 },
    ]);
    expect(h.buckets().length).toBe(4);
  });

  it('remove undoes add', () => {
    const h = new LinearHistogram();
    [1, 2, 3].forEach((v) => h.add(v));
    const before = h.buckets();
    h.add(2.5);
    expect(h.remove(2.5)).toBe(true);
    expect(h.buckets()).toEqual(before);
    expect(h.remove(99)).toBe(false);
  });
});
