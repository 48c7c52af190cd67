/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, with exactly scipy's
 * `ks_2samp(a, b, method="auto", alternative="two-sided")` definition and method choice
 * (scipy 1.10–1.17):
 * - D = max over all observed values v of |F_a(v) − F_b(v)|, F the right-continuous empirical CDFs
 *   (ties are handled by counting values ≤ v in each sample);
 * - "auto" is exact when max(n_a, n_b) ≤ 10000, else asymptotic;
 * - exact: h = round(D·lcm), the returned statistic becomes h/lcm, p = P(D ≥ h/lcm) by lattice
 *   paths (ks-exact.ts); when that fails numerically it falls back to asymptotic;
 * - asymptotic: p = kstwo.sf(D, round(m·n/(m + n))) with round half to even, as numpy rounds.
 * Non-finite values (NaN, ±Infinity) are treated as missing and dropped before the test.
 */
import { kolmogorovSf } from './kolmogorov-sf.js';
import { ksExactLattice, ksExactSquare } from './ks-exact.js';
import { sortedFinite } from './sorted-finite.js';

const KS_MAX_EXACT_N = 10000;

export interface KsResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymp';
}

/** The test from raw values (any order; copies are sorted). */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): KsResult {
  const sa = sortedFinite(a);
  const sb = sortedFinite(b);
  if (sa.length === 0 || sb.length === 0) throw new RangeError('ksTwoSample needs at least one value in each sample');
  return ksFromStatistic(ksStatisticSorted(sa, sb), sa.length, sb.length);
}

/** D from two sorted samples: walk the merged distinct values, counting how many are ≤ each. */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  while (i < n1 || j < n2) {
    const v = i < n1 && (j >= n2 || a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  return minS > maxDiff ? minS : maxDiff;
}

/** The p-value (and method) for a statistic d between samples of sizes n1 and n2. */
export function ksFromStatistic(d: number, n1: number, n2: number): KsResult {
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    const exactD = h / lcm;
    if (h === 0) return { statistic: exactD, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? ksExactSquare(n1, h) : ksExactLattice(n1, n2, g, h);
    if (p >= 0 && p <= 1) return { statistic: exactD, pValue: p, method: 'exact' };
    return asymptotic(exactD, n1, n2);
  }
  return asymptotic(d, n1, n2);
}

function asymptotic(d: number, n1: number, n2: number): KsResult {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const p = kolmogorovSf(roundHalfEven(en), d);
  return { statistic: d, pValue: Math.min(1, Math.max(0, p)), method: 'asymp' };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** numpy's round(): halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
