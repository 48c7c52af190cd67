/**
 * The relationship statistics against scipy's numbers (test/fixtures/drift/relationships.json):
 * every value to 1e-9 (relative for p-values, |a − b| ≤ 1e-9 · max(1, |b|) otherwise).
 */
import { describe, expect, it } from 'vitest';
import { association } from '../../../../collector/relationships/statistics/association.js';
import { CoMoments } from '../../../../collector/relationships/statistics/co-moments.js';
import { fisherZTest } from '../../../../collector/relationships/statistics/fisher-z.js';
import { jointChiSquare } from '../../../../collector/relationships/statistics/joint-change.js';
import { close, relationshipFixtures, relativeClose } from './relationship-fixtures.js';

const fx = relationshipFixtures();

describe('Pearson r from co-moments against scipy.stats.pearsonr', () => {
  it.each(fx.pearson.map((p) => [p.name, p] as const))('%s', (_name, p) => {
    expect(
      close(CoMoments.fromPairs(p.x, p.y).pearson(), p.r),
      `${CoMoments.fromPairs(p.x, p.y).pearson()} vs ${p.r}`,
    ).toBe(true);
  });

  it.each(fx.pearson.map((p) => [p.name, p] as const))('%s: merged from three parts equals one pass', (_name, p) => {
    const cut = [0, Math.floor(p.x.length / 3), Math.floor((2 * p.x.length) / 3), p.x.length];
    const merged = new CoMoments();
    for (let k = 0; k < 3; k++)
      merged.merge(CoMoments.fromPairs(p.x.slice(cut[k], cut[k + 1]), p.y.slice(cut[k], cut[k + 1])));
    expect(merged.count).toBe(p.x.length);
    expect(close(merged.pearson(), p.r)).toBe(true);
  });

  it.each(fx.pearson.map((p) => [p.name, p] as const))(
    '%s: removing a third leaves the statistics of the rest',
    (_name, p) => {
      const all = CoMoments.fromPairs(p.x, p.y);
      const third = Math.floor(p.x.length / 3);
      for (let i = 0; i < third; i++) expect(all.remove(p.x[i]!, p.y[i]!)).toBe(true);
      const rest = CoMoments.fromPairs(p.x.slice(third), p.y.slice(third));
      expect(all.count).toBe(rest.count);
      for (const k of ['meanX', 'meanY', 'm2x', 'm2y', 'cxy'] as const) {
        expect(close(all[k], rest[k], 1e-9), `${k}: ${all[k]} vs ${rest[k]}`).toBe(true);
      }
      expect(close(all.pearson(), rest.pearson())).toBe(true);
    },
  );
});

describe('Fisher z-test of two correlations against scipy.stats.norm', () => {
  it.each(fx.fisher.map((f) => [f.r1, f.n1, f.r2, f.n2, f] as const))(
    'r1=%f n1=%i r2=%f n2=%i',
    (r1, n1, r2, n2, f) => {
      const t = fisherZTest(r1, n1, r2, n2);
      expect(close(t.z, f.z)).toBe(true);
      expect(relativeClose(t.pValue, f.p), `${t.pValue} vs ${f.p}`).toBe(true);
    },
  );
});

describe("mutual information and Cramér's V of a joint table", () => {
  it.each(fx.association.map((a) => [a.name, a] as const))('%s', (_name, a) => {
    const got = association(a.table);
    expect(close(got.mutualInformation, a.mi)).toBe(true);
    expect(close(got.mutualInformationBits, a.mi_bits)).toBe(true);
    expect(close(got.cramersV, a.cramers_v), `${got.cramersV} vs ${a.cramers_v}`).toBe(true);
  });
});

describe('chi-square test of two joint tables against scipy.stats.chi2_contingency', () => {
  it.each(fx.joint_change.map((j) => [j.name, j] as const))('%s', (_name, j) => {
    const got = jointChiSquare(j.reference, j.current);
    expect(got.dof).toBe(j.dof);
    expect(close(got.statistic, j.statistic)).toBe(true);
    expect(relativeClose(got.pValue, j.p), `${got.pValue} vs ${j.p}`).toBe(true);
  });
});

describe('edge cases (table-driven)', () => {
  it.each([
    ['one pair', [1], [2]],
    ['constant x', [1, 1, 1], [1, 2, 3]],
    ['constant y', [1, 2, 3], [5, 5, 5]],
  ])('%s: r is NaN', (_name, xs, ys) => {
    expect(CoMoments.fromPairs(xs, ys).pearson()).toBeNaN();
  });

  it.each([
    [0.5, 3, 0.5, 100],
    [Number.NaN, 100, 0.5, 100],
  ])('Fisher z with r1=%f n1=%i is no test', (r1, n1, r2, n2) => {
    expect(fisherZTest(r1, n1, r2, n2).pValue).toBeNaN();
  });

  it('an independent table has zero mutual information and V = 0', () => {
    const a = association([
      [10, 20],
      [30, 60],
    ]);
    expect(a.mutualInformation).toBeCloseTo(0, 15);
    expect(a.cramersV).toBeCloseTo(0, 15);
  });

  it('tables of different shapes are refused', () => {
    expect(() => jointChiSquare([[1, 2]], [[1, 2, 3]])).toThrow(RangeError);
  });

  it('removing from an empty accumulator is refused', () => {
    expect(new CoMoments().remove(1, 2)).toBe(false);
  });
});
