import { P_VALUE_METHODS } from '../drift/report/drift-options.js';
import type { FeatureDrift } from '../drift/report/feature-drift.js';
import type { AlertRule } from './alert-rule.js';
import { MAX_EXEMPLARS, type MetricReading } from './metric-source.js';

/**
 * Turns one feature's drift (collector/drift/report: featureDrift or a row of
 * driftReport) into the reading of a `drift` or `missing_rate` rule, so a drift metric source is
 * only: find the rule's model/version/feature window, compute its FeatureDrift, call this.
 *
 * drift: the value is `rule.statistic` from the feature's statistics (e.g. psi, jensen_shannon,
 * ks_p_value, chi_square_p_value, wasserstein), else the feature's own method — its p-value for KS
 * and chi-square (so such rules compare with "<"), its statistic otherwise. No data when that
 * statistic could not be computed (e.g. the feature is missing now: alert on missing_rate for that)
 * or the current window has fewer than `min_count` values.
 * missing_rate: the share of current requests without the feature.
 * The cause carries the moved bins, the drift decision and flags, and the exemplars given.
 */
export interface DriftExemplars {
  requestIds?: readonly string[];
  traceIds?: readonly string[];
}

export function defaultDriftStatistic(f: FeatureDrift): string | undefined {
  if (f.method === null) return undefined;
  return P_VALUE_METHODS.has(f.method) ? `${f.method}_p_value` : f.method;
}

function exemplarCause(exemplars: DriftExemplars | undefined) {
  return {
    exemplarRequestIds: [...(exemplars?.requestIds ?? [])].slice(0, MAX_EXEMPLARS),
    exemplarTraceIds: [...(exemplars?.traceIds ?? [])].slice(0, MAX_EXEMPLARS),
  };
}

export function driftReading(f: FeatureDrift, rule: AlertRule, exemplars?: DriftExemplars): MetricReading | undefined {
  const statistic = rule.statistic ?? defaultDriftStatistic(f);
  const value = statistic === undefined ? undefined : f.statistics[statistic];
  if (value === undefined || !Number.isFinite(value) || f.current.count < rule.minCount) return undefined;
  return {
    value,
    cause: {
      feature: f.name,
      statistic,
      count: f.current.count,
      movedBins: f.topMovedBins,
      ...exemplarCause(exemplars),
      details: {
        method: f.method,
        drifted: f.drifted,
        driftThreshold: f.threshold,
        exact: f.exact,
        flags: f.flags,
        reference: f.reference,
        current: f.current,
      },
    },
  };
}

export function missingRateReading(f: FeatureDrift, rule: AlertRule, exemplars?: DriftExemplars): MetricReading | undefined {
  const total = f.current.count + f.current.missing;
  if (total < rule.minCount) return undefined;
  return {
    value: f.current.missingRate,
    cause: {
      feature: f.name,
      count: total,
      ...exemplarCause(exemplars),
      details: { referenceMissingRate: f.reference.missingRate, missing: f.current.missing, flags: f.flags },
    },
  };
}
