import { describe, expect, it } from 'vitest';
import { CategoricalSummary, OTHER_CATEGORY } from '../../../../collector/drift/summaries/categorical-summary.js';

describe('CategoricalSummary', () => {
  it('counts categories and missing values', () => {
    const s = CategoricalSummary.fromValues(['a', 'b', 'a', null, undefined]);
    expect(Object.fromEntries(s.categoryCounts())).toEqual({ a: 2, b: 1 });
    expect([s.count, s.missing, s.missingRate()]).toEqual([3, 2, 0.4]);
  });

  it('sends categories past maxCategories to "other"', () => {
    const s = CategoricalSummary.fromValues(['a', 'b', 'c', 'c', 'a'], { maxCategories: 2 });
    expect(Object.fromEntries(s.categoryCounts())).toEqual({ a: 2, b: 1, [OTHER_CATEGORY]: 2 });
  });

  it('a merge past the cardinality keeps the most frequent categories and folds the rest', () => {
    const a = CategoricalSummary.fromValues(['x', 'x', 'x', 'y'], { maxCategories: 2 });
    const b = CategoricalSummary.fromValues(['z', 'z', 'y'], { maxCategories: 2 });
    a.merge(b);
    expect(Object.fromEntries(a.categoryCounts())).toEqual({ x: 3, y: 2, [OTHER_CATEGORY]: 2 });
    expect(a.count).toBe(7);
  });

  it.each([
    ['a held category', 'a', { a: 1, b: 1, [OTHER_CATEGORY]: 1 }],
    ['a folded category (from other)', 'c', { a: 2, b: 1 }],
  ])('remove takes %s back out', (_, value, expected) => {
    const s = CategoricalSummary.fromValues(['a', 'a', 'b', 'c'], { maxCategories: 2 });
    expect(s.remove(value)).toBe(true);
    expect(Object.fromEntries(s.categoryCounts())).toEqual(expected);
  });

  it('refuses to remove what it does not hold', () => {
    const s = CategoricalSummary.fromValues(['a']);
    expect(s.remove('zzz')).toBe(false);
    expect(s.remove(null)).toBe(false);
    expect(s.count).toBe(1);
  });
});
