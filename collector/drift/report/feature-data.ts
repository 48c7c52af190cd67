/**
 * What a drift report compares, per feature: raw values (statistics are exact and match scipy) or a
 * summary (statistics are estimates; summaries/). A report may mix them: a raw side is summarised
 * with the other side's summary settings before comparing.
 */
import { CategoricalSummary, type CategoricalInput } from '../summaries/categorical-summary.js';
import { NumericSummary, type NumericInput } from '../summaries/numeric-summary.js';

export type FeatureData =
  | { type: 'numeric'; values: ArrayLike<NumericInput> }
  | { type: 'categorical'; values: ArrayLike<CategoricalInput> }
  | NumericSummary
  | CategoricalSummary;

/** Feature name → data. A feature absent from the current dataset is "missing" there. */
export type DriftDataset = Record<string, FeatureData>;

export function isSummary(d: FeatureData): d is NumericSummary | CategoricalSummary {
  return d instanceof NumericSummary || d instanceof CategoricalSummary;
}

/** Present / missing counts of either form. */
export function presence(d: FeatureData): { count: number; missing: number } {
  if (isSummary(d)) return { count: d.count, missing: d.missing };
  let count = 0;
  for (let i = 0; i < d.values.length; i++) {
    const v = d.values[i];
    if (d.type === 'numeric' ? typeof v === 'number' && Number.isFinite(v) : v !== null && v !== undefined) count++;
  }
  return { count, missing: d.values.length - count };
}

/** Finite numbers of a raw numeric feature. */
export function finiteNumbers(values: ArrayLike<NumericInput>): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out[k++] = v;
  }
  return out.subarray(0, k);
}
