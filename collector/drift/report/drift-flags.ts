/**
 * Data-quality flags raised beside the drift statistic:
 * - feature_missing: the reference carried the feature but the current window has no value for it
 *   (absent from every request, or always null) — "the feature became unavailable";
 * - new_feature: the current window carries a feature the reference never had (not evaluated);
 * - no_reference_values: the reference has the feature but only missing values (not evaluated);
 * - type_changed: numeric on one side, categorical on the other;
 * - new_category: categories seen now that the reference never had (only when the reference has no
 *   "other" bucket, which could hide them);
 * - missing_rate_changed: the share of missing values moved by at least `minChange` (absolute,
 *   default 0.05) and a chi-square test on (missing, present) × (reference, current) gives
 *   p < `pValue` (default 0.05), so a handful of nulls in a small window does not fire it.
 */
import { chiSquareContingency } from '../statistics/chi-square.js';

export type DriftFlag =
  | { kind: 'feature_missing' }
  | { kind: 'new_feature' }
  | { kind: 'no_reference_values' }
  | { kind: 'type_changed'; reference: string; current: string }
  | { kind: 'new_category'; categories: string[] }
  | { kind: 'missing_rate_changed'; reference: number; current: number; pValue: number };

export interface PresenceCounts {
  count: number;
  missing: number;
}

export function missingRateFlag(
  reference: PresenceCounts,
  current: PresenceCounts,
  rule: { minChange: number; pValue: number },
): DriftFlag | null {
  const refTotal = reference.count + reference.missing;
  const curTotal = current.count + current.missing;
  if (refTotal === 0 || curTotal === 0) return null;
  const refRate = reference.missing / refTotal;
  const curRate = current.missing / curTotal;
  if (Math.abs(curRate - refRate) < rule.minChange) return null;
  const { pValue } = chiSquareContingency([
    [reference.missing, reference.count],
    [current.missing, current.count],
  ]);
  return pValue < rule.pValue ? { kind: 'missing_rate_changed', reference: refRate, current: curRate, pValue } : null;
}
