/**
 * Drift of one feature: pick the method (drift-options.ts), compute every statistic of the
 * feature's type from raw values or summaries, decide, and attach flags and moved bins.
 */
import { CategoricalSummary } from '../summaries/categorical-summary.js';
import { compareNumericSummaries } from '../summaries/numeric-summary-comparison.js';
import { NumericSummary } from '../summaries/numeric-summary.js';
import {
  compareCategoricalCounts,
  countValues,
  type CategoricalComparison,
} from '../statistics/categorical-comparison.js';
import { compareNumericValues, type NumericComparison } from '../statistics/numeric-comparison.js';
import { missingRateFlag, type DriftFlag } from './drift-flags.js';
import {
  chooseMethod,
  P_VALUE_METHODS,
  type DriftMethod,
  type FeatureType,
  type ResolvedDriftOptions,
} from './drift-options.js';
import { finiteNumbers, isSummary, presence, type FeatureData } from './feature-data.js';
import { categoricalMovedBins, numericMovedBins, type MovedBin } from './moved-bins.js';

export interface FeatureDrift {
  name: string;
  type: FeatureType;
  /** null when nothing could be compared (see flags). */
  method: DriftMethod | null;
  statistic: number | null;
  pValue?: number;
  threshold: number | null;
  drifted: boolean;
  /** Whether this feature counts towards the dataset's drifted share. */
  evaluated: boolean;
  /** True when computed from raw values or from summaries that hold the exact distribution. */
  exact: boolean;
  /** Every statistic of the type, by method name (ks also as ks_p_value when computed). */
  statistics: Record<string, number>;
  reference: { count: number; missing: number; missingRate: number };
  current: { count: number; missing: number; missingRate: number };
  flags: DriftFlag[];
  topMovedBins: MovedBin[];
}

export function featureDrift(
  name: string,
  reference: FeatureData | undefined,
  current: FeatureData | undefined,
  o: ResolvedDriftOptions,
): FeatureDrift {
  const ref = reference ? presence(reference) : { count: 0, missing: 0 };
  const cur = current ? presence(current) : { count: 0, missing: 0 };
  const type: FeatureType = (reference ?? current)!.type;
  const base: FeatureDrift = {
    name,
    type,
    method: null,
    statistic: null,
    threshold: null,
    drifted: false,
    evaluated: false,
    exact: true,
    statistics: {},
    reference: withRate(ref),
    current: withRate(cur),
    flags: [],
    topMovedBins: [],
  };
  if (!reference) return { ...base, flags: [{ kind: 'new_feature' }] };
  if (ref.count === 0) return { ...base, flags: [{ kind: 'no_reference_values' }] };
  if (!current || cur.count === 0)
    return { ...base, evaluated: true, drifted: true, flags: [{ kind: 'feature_missing' }] };
  if (reference.type !== current.type) {
    const flag: DriftFlag = { kind: 'type_changed', reference: reference.type, current: current.type };
    return { ...base, evaluated: true, drifted: true, flags: [flag] };
  }

  const choice = chooseMethod(o, name, type, ref.count);
  const flags: DriftFlag[] = [];
  const missing = missingRateFlag(ref, cur, o.missingRate);
  if (missing) flags.push(missing);

  let statistics: Record<string, number>;
  let topMovedBins: MovedBin[];
  let exact: boolean;
  if (type === 'numeric') {
    const c = compareNumeric(reference, current, o, choice.method === 'ks');
    statistics = numericStatistics(c);
    topMovedBins = numericMovedBins(c, o.topBins);
    exact = c.exact;
  } else {
    const c = compareCategorical(reference, current, o);
    statistics = categoricalStatistics(c);
    topMovedBins = categoricalMovedBins(c, o.topBins);
    exact = c.exact;
    const hidden = reference instanceof CategoricalSummary && reference.other > 0;
    if (c.newCategories.length > 0 && !hidden) flags.unshift({ kind: 'new_category', categories: c.newCategories });
  }

  const isTest = P_VALUE_METHODS.has(choice.method);
  const statistic = statistics[choice.method]!;
  const pValue = isTest ? statistics[`${choice.method}_p_value`]! : undefined;
  const drifted = isTest ? pValue! < choice.threshold : statistic >= choice.threshold;
  return {
    ...base,
    method: choice.method,
    statistic,
    ...(isTest ? { pValue } : {}),
    threshold: choice.threshold,
    drifted,
    evaluated: true,
    exact,
    statistics,
    flags,
    topMovedBins,
  };
}

function withRate(p: { count: number; missing: number }) {
  const total = p.count + p.missing;
  return { ...p, missingRate: total > 0 ? p.missing / total : 0 };
}

function compareNumeric(
  reference: FeatureData,
  current: FeatureData,
  o: ResolvedDriftOptions,
  withPValue: boolean,
): NumericComparison {
  if (!isSummary(reference) && !isSummary(current) && reference.type === 'numeric' && current.type === 'numeric') {
    return compareNumericValues(finiteNumbers(reference.values), finiteNumbers(current.values), o, withPValue);
  }
  const template = [reference, current].find((d): d is NumericSummary => d instanceof NumericSummary)!;
  const toSummary = (d: FeatureData) =>
    d instanceof NumericSummary
      ? d
      : NumericSummary.fromValues((d as { values: ArrayLike<number | null> }).values, template.options());
  return compareNumericSummaries(toSummary(reference), toSummary(current), o, withPValue);
}

function compareCategorical(
  reference: FeatureData,
  current: FeatureData,
  o: ResolvedDriftOptions,
): CategoricalComparison {
  const counts = (d: FeatureData) =>
    d instanceof CategoricalSummary
      ? d.categoryCounts()
      : countValues(Array.from((d as { values: ArrayLike<string | null> }).values));
  const folded = [reference, current].some((d) => d instanceof CategoricalSummary && d.other > 0);
  return compareCategoricalCounts(counts(reference), counts(current), o, !folded);
}

function numericStatistics(c: NumericComparison): Record<string, number> {
  return {
    ks: c.ks.statistic,
    ...('pValue' in c.ks ? { ks_p_value: c.ks.pValue } : {}),
    wasserstein: c.wassersteinNormed,
    wasserstein_raw: c.wasserstein,
    psi: c.psi,
    jensen_shannon: c.jensenShannon,
    kl: c.kl,
  };
}

function categoricalStatistics(c: CategoricalComparison): Record<string, number> {
  return {
    chi_square: c.chiSquare.statistic,
    chi_square_p_value: c.chiSquare.pValue,
    chi_square_dof: c.chiSquare.dof,
    jensen_shannon: c.jensenShannon,
    psi: c.psi,
    l_infinity: c.lInfinity,
  };
}
