/**
 * "Moved bins": the bins (numeric: the reference-quantile bins with underflow/overflow; categorical:
 * categories) whose share changed most between reference and current, largest |Δ| first, so an
 * alert can say where the mass went and the caller can fetch exemplar requests whose value falls in
 * a bin (binContains).
 */
import type { CategoricalComparison } from '../statistics/categorical-comparison.js';
import type { NumericComparison } from '../statistics/numeric-comparison.js';
import { binBounds } from '../statistics/quantile-bins.js';

interface RangeBin {
  kind: 'range';
  /** null = −∞ (the underflow bin). */
  lower: number | null;
  /** null = +∞ (the overflow bin). */
  upper: number | null;
  includesLower: boolean;
  includesUpper: boolean;
  referenceShare: number;
  currentShare: number;
  delta: number;
}

interface CategoryBin {
  kind: 'category';
  category: string;
  referenceShare: number;
  currentShare: number;
  delta: number;
}

export type MovedBin = RangeBin | CategoryBin;

export function numericMovedBins(c: NumericComparison, top: number): MovedBin[] {
  const regular = Math.max(1, c.edges.length - 1);
  const bins = c.referenceShares.map((r, i): RangeBin => {
    const { lower, upper } = binBounds(c.edges, i);
    const cur = c.currentShares[i] ?? 0;
    return {
      kind: 'range',
      lower,
      upper,
      includesLower: i !== regular + 1 && lower !== null,
      includesUpper: i === regular,
      referenceShare: r,
      currentShare: cur,
      delta: cur - r,
    };
  });
  return topByDelta(bins, top);
}

export function categoricalMovedBins(c: CategoricalComparison, top: number): MovedBin[] {
  const bins = c.categories.map((category, i): CategoryBin => {
    const r = c.referenceShares[i] ?? 0;
    const cur = c.currentShares[i] ?? 0;
    return { kind: 'category', category, referenceShare: r, currentShare: cur, delta: cur - r };
  });
  return topByDelta(bins, top);
}

function topByDelta<T extends MovedBin>(bins: T[], top: number): T[] {
  return bins
    .filter((b) => b.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, top);
}

/** Whether a captured value falls in a moved bin (numbers for ranges, strings for categories). */
export function binContains(bin: MovedBin, value: unknown): boolean {
  if (bin.kind === 'category') return typeof value === 'string' && value === bin.category;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (bin.lower !== null && (value < bin.lower || (value === bin.lower && !bin.includesLower))) return false;
  if (bin.upper !== null && (value > bin.upper || (value === bin.upper && !bin.includesUpper))) return false;
  return true;
}
