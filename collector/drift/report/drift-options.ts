/**
 * Options of a drift report, their defaults, and their validation.
 *
 * Default method per feature type follows Evidently's automatic choice, keyed on the reference size:
 * - numeric, reference ≤ 1000 values: KS, drifted when p < 0.05;
 *   larger: Wasserstein / std(reference), drifted when ≥ 0.1 (KS p-values flag negligible shifts
 *   once samples are large);
 * - categorical, reference ≤ 1000: chi-square, drifted when p < 0.05 (with two categories this is
 *   the two-proportion z-test Evidently uses for binary data); larger: Jensen-Shannon ≥ 0.1.
 * Any feature can name its own method and/or threshold. Default thresholds when a method is named
 * without one: p-value methods 0.05, all distances 0.1.
 */
import { DEFAULT_BINS } from '../statistics/quantile-bins.js';
import { DEFAULT_EPSILON } from '../statistics/shares.js';

const NUMERIC_METHODS = ['ks', 'wasserstein', 'psi', 'jensen_shannon', 'kl'] as const;
const CATEGORICAL_METHODS = ['chi_square', 'jensen_shannon', 'psi', 'l_infinity'] as const;
export type DriftMethod = (typeof NUMERIC_METHODS)[number] | (typeof CATEGORICAL_METHODS)[number];
export type FeatureType = 'numeric' | 'categorical';

/** Methods whose decision is "p-value below threshold"; all others are "statistic ≥ threshold". */
export const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set(['ks', 'chi_square']);

const DEFAULT_THRESHOLDS: Readonly<Record<DriftMethod, number>> = Object.freeze({
  ks: 0.05,
  chi_square: 0.05,
  wasserstein: 0.1,
  psi: 0.1,
  jensen_shannon: 0.1,
  kl: 0.1,
  l_infinity: 0.1,
});

export interface MethodChoice {
  method: DriftMethod;
  threshold: number;
}

interface FeatureOverride {
  method?: DriftMethod;
  threshold?: number;
}

export interface DriftOptions {
  /** Reference-quantile bins for numeric PSI/JS/KL and moved bins (default 10). */
  bins?: number;
  /** Share given to empty bins before renormalising, for PSI and KL (default 1e-4). */
  epsilon?: number;
  /** Log base for Jensen-Shannon and KL (default e). */
  base?: number;
  /** Reference sizes up to this use the small-sample method (default 1000). */
  smallSampleLimit?: number;
  numeric?: { small?: MethodChoice; large?: MethodChoice };
  categorical?: { small?: MethodChoice; large?: MethodChoice };
  /** Per-feature method and/or threshold. */
  features?: Record<string, FeatureOverride>;
  /** Dataset drift when drifted features / evaluated features ≥ this (default 0.5). */
  driftShare?: number;
  /** How many moved bins to report per feature (default 3). */
  topBins?: number;
  /** Missing-rate flag: |current − reference| ≥ minChange and a chi-square p-value < pValue. */
  missingRate?: { minChange?: number; pValue?: number };
}

export interface ResolvedDriftOptions {
  bins: number;
  epsilon: number;
  base: number;
  smallSampleLimit: number;
  numeric: { small: MethodChoice; large: MethodChoice };
  categorical: { small: MethodChoice; large: MethodChoice };
  features: Record<string, FeatureOverride>;
  driftShare: number;
  topBins: number;
  missingRate: { minChange: number; pValue: number };
}

export const DEFAULT_DRIFT_OPTIONS: Readonly<ResolvedDriftOptions> = Object.freeze<ResolvedDriftOptions>({
  bins: DEFAULT_BINS,
  epsilon: DEFAULT_EPSILON,
  base: Math.E,
  smallSampleLimit: 1000,
  numeric: { small: { method: 'ks', threshold: 0.05 }, large: { method: 'wasserstein', threshold: 0.1 } },
  categorical: {
    small: { method: 'chi_square', threshold: 0.05 },
    large: { method: 'jensen_shannon', threshold: 0.1 },
  },
  features: {},
  driftShare: 0.5,
  topBins: 3,
  missingRate: { minChange: 0.05, pValue: 0.05 },
});

export function resolveDriftOptions(options: DriftOptions = {}): ResolvedDriftOptions {
  const d = DEFAULT_DRIFT_OPTIONS;
  const resolved: ResolvedDriftOptions = {
    bins: options.bins ?? d.bins,
    epsilon: options.epsilon ?? d.epsilon,
    base: options.base ?? d.base,
    smallSampleLimit: options.smallSampleLimit ?? d.smallSampleLimit,
    numeric: { small: options.numeric?.small ?? d.numeric.small, large: options.numeric?.large ?? d.numeric.large },
    categorical: {
      small: options.categorical?.small ?? d.categorical.small,
      large: options.categorical?.large ?? d.categorical.large,
    },
    features: { ...(options.features ?? {}) },
    driftShare: options.driftShare ?? d.driftShare,
    topBins: options.topBins ?? d.topBins,
    missingRate: {
      minChange: options.missingRate?.minChange ?? d.missingRate.minChange,
      pValue: options.missingRate?.pValue ?? d.missingRate.pValue,
    },
  };
  const problems = validate(resolved);
  if (problems.length > 0) throw new RangeError(`invalid drift options: ${problems.join('; ')}`);
  return resolved;
}

function validate(o: ResolvedDriftOptions): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(o.bins) || o.bins < 1) problems.push('bins must be a positive integer');
  if (!(o.epsilon > 0 && o.epsilon < 1)) problems.push('epsilon must be in (0, 1)');
  if (!(o.base > 0) || o.base === 1) problems.push('base must be positive and not 1');
  if (!(o.driftShare > 0 && o.driftShare <= 1)) problems.push('driftShare must be in (0, 1]');
  if (!Number.isInteger(o.topBins) || o.topBins < 0) problems.push('topBins must be a non-negative integer');
  const check = (where: string, type: FeatureType, c: MethodChoice) => {
    if (!methodsFor(type).includes(c.method)) problems.push(`${where}: ${c.method} is not a ${type} method`);
    if (!Number.isFinite(c.threshold) || c.threshold < 0)
      problems.push(`${where}: threshold must be a non-negative number`);
  };
  check('numeric.small', 'numeric', o.numeric.small);
  check('numeric.large', 'numeric', o.numeric.large);
  check('categorical.small', 'categorical', o.categorical.small);
  check('categorical.large', 'categorical', o.categorical.large);
  for (const [name, f] of Object.entries(o.features)) {
    if (f.method !== undefined && !isMethod(f.method))
      problems.push(`features.${name}: unknown method ${String(f.method)}`);
    if (f.threshold !== undefined && (!Number.isFinite(f.threshold) || f.threshold < 0)) {
      problems.push(`features.${name}: threshold must be a non-negative number`);
    }
  }
  return problems;
}

function methodsFor(type: FeatureType): readonly DriftMethod[] {
  return type === 'numeric' ? NUMERIC_METHODS : CATEGORICAL_METHODS;
}

function isMethod(m: string): m is DriftMethod {
  return (NUMERIC_METHODS as readonly string[]).includes(m) || (CATEGORICAL_METHODS as readonly string[]).includes(m);
}

/**
 * The method and threshold for one feature: its override if any (a method that does not apply to
 * the feature's type is an error), else the type's default for the reference size.
 */
export function chooseMethod(
  o: ResolvedDriftOptions,
  name: string,
  type: FeatureType,
  referenceCount: number,
): MethodChoice {
  const byType = type === 'numeric' ? o.numeric : o.categorical;
  const base = referenceCount <= o.smallSampleLimit ? byType.small : byType.large;
  const override = o.features[name];
  if (!override) return base;
  const method = override.method ?? base.method;
  if (!methodsFor(type).includes(method)) throw new RangeError(`features.${name}: ${method} is not a ${type} method`);
  const threshold = override.threshold ?? (override.method !== undefined ? DEFAULT_THRESHOLDS[method] : base.threshold);
  return { method, threshold };
}
