/**
 * Statistics estimated from summaries against the same statistics from raw values (which match
 * scipy, see statistics/scipy-fixtures.test.ts). Lattice data (all values multiples of a power of
 * two: integers, 0/1, years) must come out identical; continuous data within the error bounds the
 * README states:
 *   |ΔKS| ≤ 0.005, |Δ Wasserstein/std| ≤ 0.002, |ΔJS| ≤ 0.005, |ΔPSI|, |ΔKL| ≤ 0.005 + 2 % of the value.
 * The degenerate fixture with a single-valued reference is left out: its PSI hinges on whether any
 * current value equals that one value exactly, which a bucketed summary cannot know.
 */
import { describe, expect, it } from 'vitest';
import {
  compareNumericValues,
  type NumericComparison,
} from '../../../../collector/drift/statistics/numeric-comparison.js';
import { compareNumericSummaries } from '../../../../collector/drift/summaries/numeric-summary-comparison.js';
import { NumericSummary } from '../../../../collector/drift/summaries/numeric-summary.js';
import { numericFixtures } from '../drift-fixtures.js';
import { seeded } from '../../support/seeded.js';

const r = seeded(31);
const draw = (n: number, f: () => number) => Array.from({ length: n }, f);

const fixtures = numericFixtures().filter((f) => f.name !== 'exact-constant-reference');
const lattice = fixtures.filter((f) => [...f.reference, ...f.current].every((v) => Number.isInteger(v)));
const continuous = fixtures.filter((f) => !lattice.includes(f));
const synthetic = [
  {
    name: 'latitude-like (40.7 ± 0.1)',
    reference: draw(20000, () => r.normal(40.7, 0.1)),
    current: draw(20000, () => r.normal(40.71, 0.1)),
  },
  {
    name: 'heavy tail (lognormal σ=2)',
    reference: draw(20000, () => Math.exp(r.normal(0, 2))),
    current: draw(20000, () => Math.exp(r.normal(0, 2.2))),
  },
  {
    name: 'timestamps',
    reference: draw(20000, () => 1.7e9 + 86400 * r.uniform()),
    current: draw(20000, () => 1.7e9 + 3600 + 86400 * r.uniform()),
  },
  { name: 'mixed signs', reference: draw(20000, () => r.normal(0, 5)), current: draw(20000, () => r.normal(0.5, 5)) },
];
const integers = [
  {
    name: 'years',
    reference: draw(5000, () => Math.round(r.normal(1990, 15))),
    current: draw(5000, () => Math.round(r.normal(1993, 15))),
  },
  {
    name: 'counts',
    reference: draw(3000, () => Math.floor(Math.exp(r.normal(1, 1)))),
    current: draw(2000, () => Math.floor(Math.exp(r.normal(1.2, 1)))),
  },
];

function both(reference: number[], current: number[]): [NumericComparison, NumericComparison] {
  const raw = compareNumericValues(reference, current);
  const est = compareNumericSummaries(NumericSummary.fromValues(reference), NumericSummary.fromValues(current));
  return [raw, est];
}

describe.each([...lattice, ...integers])('lattice data: $name', ({ reference, current }) => {
  it('every statistic from summaries equals the raw-value one', () => {
    const [raw, est] = both(reference, current);
    expect(est.exact).toBe(false);
    expect(est.edges).toEqual(raw.edges);
    for (const key of ['wasserstein', 'wassersteinNormed', 'psi', 'jensenShannon', 'kl'] as const) {
      expect(Math.abs(est[key] - raw[key])).toBeLessThanOrEqual(1e-12 * Math.max(1, raw[key]));
    }
    expect(est.ks.statistic).toBeCloseTo(raw.ks.statistic, 12);
    expect('pValue' in est.ks && 'pValue' in raw.ks && Math.abs(est.ks.pValue - raw.ks.pValue) <= 1e-9).toBe(true);
  });
});

describe.each([...continuous, ...synthetic])('continuous data: $name', ({ reference, current }) => {
  it('statistics from summaries stay within the stated error of the raw-value ones', () => {
    const [raw, est] = both(reference, current);
    expect(Math.abs(est.ks.statistic - raw.ks.statistic)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(est.wassersteinNormed - raw.wassersteinNormed)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(est.jensenShannon - raw.jensenShannon)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(est.psi - raw.psi)).toBeLessThanOrEqual(0.005 + 0.02 * raw.psi);
    expect(Math.abs(est.kl - raw.kl)).toBeLessThanOrEqual(0.005 + 0.02 * raw.kl);
    expect(Math.abs(est.referenceStd - raw.referenceStd)).toBeLessThanOrEqual(1e-9 * raw.referenceStd);
  });
});

it('merging per-window summaries gives the same estimates as one summary of the whole window', () => {
  const values = draw(6000, () => r.normal(3, 2));
  const current = draw(4000, () => r.normal(3.2, 2));
  const windows = [0, 1, 2].map((k) => NumericSummary.fromValues(values.slice(k * 2000, (k + 1) * 2000)));
  const merged = windows[0]!.clone();
  merged.merge(windows[1]!);
  merged.merge(windows[2]!);
  const cur = NumericSummary.fromValues(current);
  const a = compareNumericSummaries(merged, cur);
  const b = compareNumericSummaries(NumericSummary.fromValues(values), cur);
  expect(a.ks.statistic).toBe(b.ks.statistic);
  expect(a.psi).toBe(b.psi);
  expect(a.wassersteinNormed).toBeCloseTo(b.wassersteinNormed, 12);
});
