import { describe, expect, it } from 'vitest';
import { driftReport } from '../../../../collector/drift/report/drift-report.js';
import { binContains } from '../../../../collector/drift/report/moved-bins.js';
import { CategoricalSummary } from '../../../../collector/drift/summaries/categorical-summary.js';
import { NumericSummary } from '../../../../collector/drift/summaries/numeric-summary.js';
import { ksTwoSample } from '../../../../collector/drift/statistics/ks-two-sample.js';
import { chiSquareContingency } from '../../../../collector/drift/statistics/chi-square.js';
import { compareNumericValues } from '../../../../collector/drift/statistics/numeric-comparison.js';
import { seeded } from '../../support/seeded.js';

const r = seeded(41);
const normals = (n: number, mean = 0, sd = 1) => Array.from({ length: n }, () => r.normal(mean, sd));
const pick = (n: number, cats: string[], weights: number[]) =>
  Array.from({ length: n }, () => {
    let u = r.uniform() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < cats.length; i++) if ((u -= weights[i]!) < 0) return cats[i]!;
    return cats[cats.length - 1]!;
  });
const num = (values: (number | null)[]) => ({ type: 'numeric' as const, values });
const cat = (values: (string | null)[]) => ({ type: 'categorical' as const, values });

describe('driftReport: default method by feature type and reference size', () => {
  it.each([
    ['numeric, small reference', num(normals(500)), num(normals(400, 0.3)), 'ks'],
    ['numeric, large reference', num(normals(3000)), num(normals(3000, 0.3)), 'wasserstein'],
    [
      'categorical, small reference',
      cat(pick(500, ['a', 'b'], [1, 1])),
      cat(pick(500, ['a', 'b'], [1, 2])),
      'chi_square',
    ],
    [
      'categorical, large reference',
      cat(pick(3000, ['a', 'b'], [1, 1])),
      cat(pick(500, ['a', 'b'], [1, 2])),
      'jensen_shannon',
    ],
  ])('%s → %s', (_, reference, current, method) => {
    const f = driftReport({ reference: { x: reference }, current: { x: current } }).features[0]!;
    expect(f.method).toBe(method);
    expect(f.exact).toBe(true);
  });

  it("a KS decision carries scipy's p-value and decides on p < 0.05", () => {
    const ref = normals(300);
    const cur = normals(300, 0.4);
    const f = driftReport({ reference: { x: num(ref) }, current: { x: num(cur) } }).features[0]!;
    const ks = ksTwoSample(ref, cur);
    expect([f.statistic, f.pValue, f.threshold]).toEqual([ks.statistic, ks.pValue, 0.05]);
    expect(f.drifted).toBe(ks.pValue < 0.05);
  });

  it('a chi-square decision uses chi2_contingency on the two count rows', () => {
    const ref = pick(400, ['a', 'b', 'c'], [1, 1, 1]);
    const cur = pick(300, ['a', 'b', 'c'], [2, 1, 1]);
    const f = driftReport({ reference: { x: cat(ref) }, current: { x: cat(cur) } }).features[0]!;
    const count = (v: string[], c: string) => v.filter((x) => x === c).length;
    const expected = chiSquareContingency([
      ['a', 'b', 'c'].map((c) => count(ref, c)),
      ['a', 'b', 'c'].map((c) => count(cur, c)),
    ]);
    expect([f.statistic, f.pValue]).toEqual([expected.statistic, expected.pValue]);
  });

  it('per-feature overrides pick another method and threshold', () => {
    const ref = normals(3000);
    const cur = normals(3000, 0.05);
    const report = driftReport({
      reference: { x: num(ref), y: num(ref) },
      current: { x: num(cur), y: num(cur) },
      options: { features: { x: { method: 'psi' }, y: { threshold: 0.01 } } },
    });
    const [x, y] = report.features;
    expect([x!.method, x!.threshold]).toEqual(['psi', 0.1]);
    expect(x!.statistic).toBe(compareNumericValues(ref, cur).psi);
    expect([y!.method, y!.threshold]).toEqual(['wasserstein', 0.01]);
    expect(y!.drifted).toBe(y!.statistic! >= 0.01);
  });

  it('rejects a method that does not fit the feature type', () => {
    expect(() =>
      driftReport({
        reference: { x: num([1, 2]) },
        current: { x: num([1, 2]) },
        options: { features: { x: { method: 'chi_square' } } },
      }),
    ).toThrow(RangeError);
  });
});

describe('driftReport: dataset drift and flags', () => {
  const reference = { a: num(normals(2000)), b: num(normals(2000)), c: num(normals(2000)), d: num(normals(2000)) };

  it.each([
    [1, 0.5, false],
    [2, 0.5, true],
    [1, 0.25, true],
  ])('%i of 4 features shifted with driftShare %f → datasetDrift %s', (shifted, driftShare, expected) => {
    const current = {
      a: num(normals(2000, shifted >= 1 ? 1 : 0)),
      b: num(normals(2000, shifted >= 2 ? 1 : 0)),
      c: num(normals(2000)),
      d: num(normals(2000)),
    };
    const report = driftReport({ reference, current, options: { driftShare } });
    expect(report.driftedCount).toBe(shifted);
    expect(report.driftedShare).toBe(shifted / 4);
    expect(report.datasetDrift).toBe(expected);
  });

  it('flags a feature the current window no longer carries, and one it newly carries', () => {
    const report = driftReport({ reference: { old: num([1, 2, 3]) }, current: { fresh: num([1, 2]) } });
    const byName = Object.fromEntries(report.features.map((f) => [f.name, f]));
    expect(byName.old!.flags).toEqual([{ kind: 'feature_missing' }]);
    expect([byName.old!.drifted, byName.old!.evaluated]).toEqual([true, true]);
    expect(byName.fresh!.flags).toEqual([{ kind: 'new_feature' }]);
    expect(byName.fresh!.evaluated).toBe(false);
    expect(report.evaluatedCount).toBe(1);
  });

  it('an all-null current feature is missing too', () => {
    const f = driftReport({ reference: { x: num([1, 2, 3]) }, current: { x: num([null, null]) } }).features[0]!;
    expect(f.flags).toEqual([{ kind: 'feature_missing' }]);
  });

  it('flags new categories', () => {
    const f = driftReport({ reference: { x: cat(['a', 'b', 'a']) }, current: { x: cat(['a', 'z', 'y']) } })
      .features[0]!;
    expect(f.flags).toContainEqual({ kind: 'new_category', categories: ['y', 'z'] });
  });

  it('flags a jump in the missing-value rate, not a small wobble', () => {
    const ref = [...normals(1900), ...new Array<null>(100).fill(null)];
    const jump = [...normals(1400), ...new Array<null>(600).fill(null)];
    const wobble = [...normals(1880), ...new Array<null>(120).fill(null)];
    const report = driftReport({ reference: { j: num(ref), w: num(ref) }, current: { j: num(jump), w: num(wobble) } });
    const [j, w] = report.features;
    expect(j!.flags.map((f) => f.kind)).toContain('missing_rate_changed');
    expect(w!.flags.map((f) => f.kind)).not.toContain('missing_rate_changed');
    expect(j!.current.missingRate).toBe(0.3);
  });

  it('flags a type change', () => {
    const f = driftReport({ reference: { x: num([1, 2]) }, current: { x: cat(['1', '2']) } }).features[0]!;
    expect(f.flags).toEqual([{ kind: 'type_changed', reference: 'numeric', current: 'categorical' }]);
  });
});

describe('driftReport: moved bins', () => {
  it('names the bins the mass moved out of and into, and values can be matched to them', () => {
    const ref = normals(3000);
    const cur = normals(3000, 2);
    const f = driftReport({ reference: { x: num(ref) }, current: { x: num(cur) } }).features[0]!;
    expect(f.topMovedBins.length).toBe(3);
    const top = f.topMovedBins[0]!;
    expect(top.kind).toBe('range');
    // The largest move is into the overflow bin (values above the reference's max) or a top bin.
    const inTop = cur.filter((v) => binContains(top, v)).length / cur.length;
    expect(inTop).toBeCloseTo(top.currentShare, 10);
    const deltas = f.topMovedBins.map((b) => Math.abs(b.delta));
    expect(deltas).toEqual([...deltas].sort((a, b) => b - a));
  });

  it('names categories for categorical features', () => {
    const f = driftReport({
      reference: { x: cat(pick(2000, ['a', 'b', 'c'], [1, 1, 1])) },
      current: { x: cat(pick(2000, ['a', 'b', 'c'], [3, 1, 1])) },
    }).features[0]!;
    expect(f.topMovedBins[0]).toMatchObject({ kind: 'category', category: 'a' });
    expect(binContains(f.topMovedBins[0]!, 'a')).toBe(true);
    expect(binContains(f.topMovedBins[0]!, 'b')).toBe(false);
  });
});

describe('driftReport from summaries', () => {
  it('gives the same decisions as raw values, marked as estimates, and accepts a raw side', () => {
    const refX = normals(5000);
    const curX = normals(5000, 0.5);
    const refC = pick(5000, ['a', 'b'], [1, 1]);
    const curC = pick(5000, ['a', 'b'], [1, 3]);
    const raw = driftReport({ reference: { x: num(refX), c: cat(refC) }, current: { x: num(curX), c: cat(curC) } });
    const fromSummaries = driftReport({
      reference: { x: NumericSummary.fromValues(refX), c: CategoricalSummary.fromValues(refC) },
      current: { x: num(curX), c: CategoricalSummary.fromValues(curC) },
    });
    expect(fromSummaries.features.map((f) => f.drifted)).toEqual(raw.features.map((f) => f.drifted));
    const [c, x] = fromSummaries.features;
    expect(x!.exact).toBe(false);
    expect(Math.abs(x!.statistic! - raw.features[1]!.statistic!)).toBeLessThan(0.002);
    expect(c!.statistic).toBeCloseTo(raw.features[0]!.statistic!, 12);
    expect(c!.exact).toBe(true);
  });
});
