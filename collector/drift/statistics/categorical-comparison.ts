/**
 * Every categorical drift statistic for one feature from two count tables (raw values are counted
 * first; summaries already are counts, with "other" as one more category): chi-square homogeneity
 * test, Jensen-Shannon distance, PSI (smoothed) and L-infinity over the union of categories, plus
 * the categories that are new in the current window or gone from it.
 */
import { chiSquareContingency, type ChiSquareResult } from './chi-square.js';
import { jensenShannon } from './jensen-shannon.js';
import { lInfinity } from './l-infinity.js';
import type { BinningOptions } from './numeric-comparison.js';
import { psi } from './psi.js';
import { smoothShares, toShares } from './shares.js';

export interface CategoricalComparison {
  exact: boolean;
  referenceCount: number;
  currentCount: number;
  /** Union of categories, sorted; shares below are in this order. */
  categories: string[];
  referenceShares: number[];
  currentShares: number[];
  chiSquare: ChiSquareResult;
  jensenShannon: number;
  psi: number;
  lInfinity: number;
  newCategories: string[];
  vanishedCategories: string[];
}

export function countValues(values: Iterable<string | null | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

export function compareCategoricalCounts(
  reference: ReadonlyMap<string, number>,
  current: ReadonlyMap<string, number>,
  options: Pick<BinningOptions, 'epsilon' | 'base'>,
  exact = true,
): CategoricalComparison {
  const categories = [...new Set([...reference.keys(), ...current.keys()])]
    .filter((c) => (reference.get(c) ?? 0) + (current.get(c) ?? 0) > 0)
    .sort();
  const ref = categories.map((c) => reference.get(c) ?? 0);
  const cur = categories.map((c) => current.get(c) ?? 0);
  const referenceShares = toShares(ref);
  const currentShares = toShares(cur);
  return {
    exact,
    referenceCount: ref.reduce((s, c) => s + c, 0),
    currentCount: cur.reduce((s, c) => s + c, 0),
    categories,
    referenceShares,
    currentShares,
    chiSquare: chiSquareContingency([ref, cur]),
    jensenShannon: jensenShannon(referenceShares, currentShares, options.base),
    psi: psi(smoothShares(referenceShares, options.epsilon), smoothShares(currentShares, options.epsilon)),
    lInfinity: lInfinity(referenceShares, currentShares),
    newCategories: categories.filter((_, i) => ref[i] === 0),
    vanishedCategories: categories.filter((_, i) => cur[i] === 0),
  };
}
