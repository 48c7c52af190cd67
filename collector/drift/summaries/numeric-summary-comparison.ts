/**
 * The numeric drift statistics estimated from two summaries (reference, current). Both summaries'
 * log and linear histograms are turned into bucket distributions; the layout with the smaller largest
 * bucket share (over both sides) is used for every statistic, since that share bounds how far the
 * KS estimate can be off and tracks how coarse the other estimates are. Then:
 * - KS statistic: sup |F_ref − F_cur| of the estimated CDFs; its p-value is ks_2samp's rule applied
 *   to that estimate and the true counts;
 * - Wasserstein: ∫ |F_ref − F_cur| of the estimates, normalised by the reference's exact population
 *   standard deviation (from M2);
 * - bins: reference quantiles from the estimated quantile function (exact min and max as outer
 *   edges), shares as estimated CDF differences, then PSI/JS/KL exactly as for raw values.
 * Measured error against raw values: see test/collector/drift/summaries/summary-accuracy.test.ts.
 */
import { ksFromStatistic } from '../statistics/ks-two-sample.js';
import {
  DEFAULT_BINNING,
  numericComparison,
  type BinningOptions,
  type NumericComparison,
} from '../statistics/numeric-comparison.js';
import { quantileEdgesFrom } from '../statistics/quantile-bins.js';
import { BucketDistribution, ksDistance, wassersteinBetween } from './bucket-distribution.js';
import type { NumericSummary } from './numeric-summary.js';

export function compareNumericSummaries(
  reference: NumericSummary,
  current: NumericSummary,
  options: BinningOptions = DEFAULT_BINNING,
  withPValue = true,
): NumericComparison {
  if (reference.count === 0 || current.count === 0)
    throw new RangeError('compareNumericSummaries needs values on both sides');
  const { ref, cur, representation } = pickRepresentation(reference, current);
  const d = ksDistance(ref, cur);
  const ks = withPValue ? { ...ksFromStatistic(d, reference.count, current.count), statistic: d } : { statistic: d };
  const wasserstein = wassersteinBetween(ref, cur);
  const referenceStd = Math.sqrt(reference.variance());
  const edges = quantileEdgesFrom((q) => ref.quantile(q), options.bins);
  const referenceShares = binShares(ref, edges);
  const currentShares = binShares(cur, edges);
  return numericComparison(
    {
      exact: false,
      referenceCount: reference.count,
      currentCount: current.count,
      ks,
      wasserstein,
      referenceStd,
      edges,
      referenceShares,
      currentShares,
      representation,
    },
    options,
  );
}

/**
 * Bucket distributions of both summaries on one common layout (the coarser linear width; the higher
 * log fold floors), choosing linear or log by the smaller largest-bucket share. When both summaries'
 * values are multiples of a power of two at least the linear width (granularity.ts), the linear
 * buckets are exact point masses and every statistic equals its raw-value result.
 */
function pickRepresentation(reference: NumericSummary, current: NumericSummary) {
  const exponent = Math.max(reference.linear.exponent, current.linear.exponent);
  const lattice = exponent <= Math.min(reference.granularity, current.granularity);
  const linear = (s: NumericSummary) => {
    const buckets = s.linear.buckets(exponent);
    return new BucketDistribution(lattice ? buckets.map((b) => ({ ...b, hi: b.lo })) : buckets, s.min, s.max);
  };
  const linRef = linear(reference);
  const linCur = linear(current);
  if (lattice) return { ref: linRef, cur: linCur, representation: 'linear' as const, lattice };

  const posFloor = maxFloor(reference.log.positive.floor, current.log.positive.floor);
  const negFloor = maxFloor(reference.log.negative.floor, current.log.negative.floor);
  const log = (s: NumericSummary) => new BucketDistribution(s.log.buckets(posFloor, negFloor), s.min, s.max);
  const logRef = log(reference);
  const logCur = log(current);
  const logScore = Math.max(logRef.maxShare(), logCur.maxShare());
  const linScore = Math.max(linRef.maxShare(), linCur.maxShare());
  return linScore <= logScore
    ? { ref: linRef, cur: linCur, representation: 'linear' as const, lattice }
    : { ref: logRef, cur: logCur, representation: 'log' as const, lattice };
}

function maxFloor(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Shares of underflow, [e₀,e₁), …, [e_{k−1},e_k], overflow under an estimated distribution. */
function binShares(dist: BucketDistribution, edges: readonly number[]): number[] {
  const last = edges.length - 1;
  const shares: number[] = [dist.cdfLeft(edges[0]!)];
  if (last === 0) {
    shares.push(dist.cdf(edges[0]!) - dist.cdfLeft(edges[0]!));
  } else {
    for (let k = 0; k < last; k++) {
      const upper = k === last - 1 ? dist.cdf(edges[k + 1]!) : dist.cdfLeft(edges[k + 1]!);
      shares.push(upper - dist.cdfLeft(edges[k]!));
    }
  }
  shares.push(1 - dist.cdf(edges[last]!));
  return shares.map((s) => Math.max(0, s));
}
