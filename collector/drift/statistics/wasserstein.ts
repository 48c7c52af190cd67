/**
 * First Wasserstein (earth mover's) distance between two samples,
 * `scipy.stats.wasserstein_distance(u, v)` = ∫ |U(x) − V(x)| dx over the empirical CDFs, and its
 * normalised form: divided by the reference's population standard deviation (`np.std(ref)`,
 * ddof = 0), so 0.1 means "the mass moved a tenth of a standard deviation on average". A
 * reference with zero spread is normalised by 1e-3 instead (Evidently's floor), keeping it finite.
 * Non-finite values are dropped.
 */
import { sortedFinite } from './sorted-finite.js';

const MIN_NORMALISING_STD = 1e-3;

export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const a = sortedFinite(u);
  const b = sortedFinite(v);
  if (a.length === 0 || b.length === 0) return Number.NaN;
  return wassersteinSorted(a, b);
}

/** ∫ |U − V| from sorted samples: between consecutive merged values both CDFs are constant. */
export function wassersteinSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let previous = Math.min(a[0]!, b[0]!);
  while (i < n1 || j < n2) {
    const x = i < n1 && (j >= n2 || a[i]! <= b[j]!) ? a[i]! : b[j]!;
    sum += Math.abs(i / n1 - j / n2) * (x - previous);
    while (i < n1 && a[i]! <= x) i++;
    while (j < n2 && b[j]! <= x) j++;
    previous = x;
  }
  return sum;
}

export function populationStd(values: ArrayLike<number>): number {
  let n = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isFinite(x)) {
      sum += x;
      n++;
    }
  }
  if (n === 0) return Number.NaN;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isFinite(x)) squares += (x - mean) * (x - mean);
  }
  return Math.sqrt(squares / n);
}

export function normaliseByStd(distance: number, referenceStd: number): number {
  return distance / Math.max(referenceStd, MIN_NORMALISING_STD);
}
