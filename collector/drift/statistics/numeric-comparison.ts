/**
 * Every numeric drift statistic for one feature, reference against current, in one shape whether it
 * was computed from raw values (exact, scipy-matching) or estimated from summaries
 * (summaries/numeric-summary-comparison.ts). The KS p-value is optional because its exact form can
 * take a noticeable fraction of a second at n ≈ 10000; callers ask for it when KS decides drift.
 */
import { jensenShannon } from './jensen-shannon.js';
import { klDivergence } from './kl-divergence.js';
import { ksFromStatistic, ksStatisticSorted, type KsResult } from './ks-two-sample.js';
import { psi } from './psi.js';
import { binCounts, DEFAULT_BINS, quantileEdges } from './quantile-bins.js';
import { DEFAULT_EPSILON, smoothShares, toShares } from './shares.js';
import { sortedFinite } from './sorted-finite.js';
import { normaliseByStd, populationStd, wassersteinSorted } from './wasserstein.js';

export interface BinningOptions {
  /** Quantile bins taken from the reference (default 10). */
  bins: number;
  /** Share given to empty bins before renormalising, for PSI and KL (default 1e-4). */
  epsilon: number;
  /** Log base of Jensen-Shannon and KL (default e; PSI always uses ln). */
  base: number;
}

export const DEFAULT_BINNING: BinningOptions = Object.freeze({
  bins: DEFAULT_BINS,
  epsilon: DEFAULT_EPSILON,
  base: Math.E,
});

export interface NumericComparison {
  /** True when computed from raw values; false for estimates from summaries. */
  exact: boolean;
  referenceCount: number;
  currentCount: number;
  ks: KsResult | { statistic: number };
  wasserstein: number;
  referenceStd: number;
  wassersteinNormed: number;
  /** Bin edges from the reference; bins are underflow, [e₀,e₁), …, [e_{k−1},e_k], overflow. */
  edges: number[];
  referenceShares: number[];
  currentShares: number[];
  psi: number;
  jensenShannon: number;
  kl: number;
  /** For summaries: which bucket layout the estimates came from. */
  representation?: 'log' | 'linear';
}

/** Statistics from the shares of the reference-quantile bins (shared by both paths). */
function binnedStatistics(referenceShares: number[], currentShares: number[], options: BinningOptions) {
  const r = smoothShares(referenceShares, options.epsilon);
  const c = smoothShares(currentShares, options.epsilon);
  return {
    psi: psi(r, c),
    jensenShannon: jensenShannon(referenceShares, currentShares, options.base),
    kl: klDivergence(r, c, options.base),
  };
}

/** Completes a comparison from its measured parts, deriving the rest the same way for both paths. */
export function numericComparison(
  parts: Omit<NumericComparison, 'wassersteinNormed' | 'psi' | 'jensenShannon' | 'kl'>,
  options: BinningOptions,
): NumericComparison {
  return {
    ...parts,
    wassersteinNormed: normaliseByStd(parts.wasserstein, parts.referenceStd),
    ...binnedStatistics(parts.referenceShares, parts.currentShares, options),
  };
}

export function compareNumericValues(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: BinningOptions = DEFAULT_BINNING,
  withPValue = true,
): NumericComparison {
  const ref = sortedFinite(reference);
  const cur = sortedFinite(current);
  if (ref.length === 0 || cur.length === 0) throw new RangeError('compareNumericValues needs values on both sides');
  const d = ksStatisticSorted(ref, cur);
  const ks = withPValue ? ksFromStatistic(d, ref.length, cur.length) : { statistic: d };
  const wasserstein = wassersteinSorted(ref, cur);
  const referenceStd = populationStd(ref);
  const edges = quantileEdges(ref, options.bins);
  const referenceShares = toShares(binCounts(edges, ref));
  const currentShares = toShares(binCounts(edges, cur));
  return numericComparison(
    {
      exact: true,
      referenceCount: ref.length,
      currentCount: cur.length,
      ks,
      wasserstein,
      referenceStd,
      edges,
      referenceShares,
      currentShares,
    },
    options,
  );
}
