/**
 * A distribution estimated from histogram buckets: each bucket's count is spread evenly over
 * [lo, hi] (a bucket with lo = hi is a point mass), the outer buckets clipped to the summary's exact
 * min and max. Gives the CDF, its left limit and the quantile function, and the two integrals the
 * drift statistics need between two such distributions: sup |F₁ − F₂| (KS) and ∫ |F₁ − F₂| dx
 * (Wasserstein). Both CDFs are piecewise linear between the union of bucket bounds, so both are
 * computed exactly for the estimated distributions.
 */
import type { Bucket } from './log-histogram.js';

export class BucketDistribution {
  readonly buckets: Bucket[];
  /** cumulative[i] = total count of buckets before i. */
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(buckets: readonly Bucket[], min: number, max: number) {
    this.buckets = buckets
      .filter((b) => b.count > 0)
      .map((b) => {
        const lo = Math.min(Math.max(b.lo, min), max);
        const hi = Math.max(Math.min(b.hi, max), lo);
        return { lo, hi, count: b.count };
      });
    this.cumulative = new Float64Array(this.buckets.length + 1);
    this.buckets.forEach((b, i) => (this.cumulative[i + 1] = this.cumulative[i]! + b.count));
    this.total = this.cumulative[this.buckets.length]!;
  }

  /** Largest single-bucket share: the resolution of this estimate in probability terms. */
  maxShare(): number {
    let max = 0;
    for (const b of this.buckets) max = Math.max(max, b.count);
    return this.total > 0 ? max / this.total : 1;
  }

  /** P(X ≤ x). */
  cdf(x: number): number {
    return this.mass(x, true) / this.total;
  }

  /** P(X < x). */
  cdfLeft(x: number): number {
    return this.mass(x, false) / this.total;
  }

  /**
   * numpy's default (linear) quantile applied to estimated order statistics: x₍ₖ₎ lies in the bucket
   * holding rank k, at lo for a point mass, else evenly spaced inside (the first and last ranks are
   * the exact min and max). With point masses only this is exactly np.quantile of the data.
   */
  quantile(q: number): number {
    const n = this.total;
    if (n === 0) return Number.NaN;
    const virtual = (n - 1) * Math.min(Math.max(q, 0), 1);
    if (virtual >= n - 1) return this.orderStatistic(n - 1);
    const k = Math.floor(virtual);
    const a = this.orderStatistic(k);
    const b = this.orderStatistic(k + 1);
    const t = virtual - k;
    const diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }

  /** Estimated k-th smallest value (0-based). */
  orderStatistic(k: number): number {
    const last = this.buckets.length - 1;
    if (k <= 0) return this.buckets[0]!.lo;
    if (k >= this.total - 1) return this.buckets[last]!.hi;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid + 1]! > k) hi = mid;
      else lo = mid + 1;
    }
    const b = this.buckets[lo]!;
    if (b.hi === b.lo) return b.lo;
    return b.lo + ((k - this.cumulative[lo]! + 0.5) / b.count) * (b.hi - b.lo);
  }

  /** Every bucket bound, ascending, without repeats. */
  bounds(): number[] {
    const out: number[] = [];
    for (const b of this.buckets) out.push(b.lo, b.hi);
    return out;
  }

  private mass(x: number, inclusive: boolean): number {
    // Last bucket with lo ≤ x (buckets are sorted and do not overlap).
    let lo = 0;
    let hi = this.buckets.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.buckets[mid]!.lo <= x) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) return 0;
    const b = this.buckets[found]!;
    const before = this.cumulative[found]!;
    if (b.hi === b.lo) return before + (inclusive || x > b.lo ? b.count : 0);
    if (x >= b.hi) return before + b.count;
    return before + (b.count * (x - b.lo)) / (b.hi - b.lo);
  }
}

function unionBounds(a: BucketDistribution, b: BucketDistribution): number[] {
  const all = [...a.bounds(), ...b.bounds()].sort((x, y) => x - y);
  return all.filter((x, i) => i === 0 || x !== all[i - 1]);
}

/** sup |F₁ − F₂|, checking both sides of every bound (point masses make the CDFs jump). */
export function ksDistance(a: BucketDistribution, b: BucketDistribution): number {
  let max = 0;
  for (const x of unionBounds(a, b)) {
    max = Math.max(max, Math.abs(a.cdf(x) - b.cdf(x)), Math.abs(a.cdfLeft(x) - b.cdfLeft(x)));
  }
  return max;
}

/** ∫ |F₁ − F₂| dx: on each interval between bounds the difference is linear. */
export function wassersteinBetween(a: BucketDistribution, b: BucketDistribution): number {
  const xs = unionBounds(a, b);
  let sum = 0;
  for (let i = 0; i + 1 < xs.length; i++) {
    const x0 = xs[i]!;
    const x1 = xs[i + 1]!;
    const d0 = a.cdf(x0) - b.cdf(x0);
    const d1 = a.cdfLeft(x1) - b.cdfLeft(x1);
    const width = x1 - x0;
    if (d0 * d1 >= 0) sum += ((Math.abs(d0) + Math.abs(d1)) / 2) * width;
    else sum += ((d0 * d0 + d1 * d1) / (2 * (Math.abs(d0) + Math.abs(d1)))) * width;
  }
  return sum;
}
