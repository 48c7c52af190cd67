import { AppError } from '../../shared/errors.js';
import type { AlertRule } from '../alerts/alert-rule.js';
import type { MetricReading, MetricSource } from '../alerts/metric-source.js';
import { MAX_EXEMPLARS } from '../alerts/metric-source.js';
import type { FeatureJson } from './drift-json.js';
import type { DriftService } from './drift-service.js';
import { canHaveExemplars, findExemplars } from './exemplars.js';
import { featureOfColumn } from './feature-key.js';
import { P_VALUE_METHODS } from './report/drift-options.js';

/**
 * Drift as alert metric sources (collector/alerts: `createAlerting({ extraSources })`):
 * - `drift`: a drift statistic of one feature over the rule's window ending now, against the
 *   model's reference (its stored one, else the previous window of the same length). `statistic`
 *   names one (ks, ks_p_value, wasserstein, psi, jensen_shannon, kl, chi_square,
 *   chi_square_p_value, l_infinity); default: what the feature's drift method decides on (its
 *   p-value for ks and chi_square, its distance otherwise; see defaultStatistic).
 * - `missing_rate`: the feature's share of missing values in the window (1 when it went missing).
 * The rule's `feature` is `input.<name>` / `output.<name>` (a bare name is an input). The cause
 * carries the moved bins and up to MAX_EXEMPLARS requests (and their traces) whose values fall in
 * the bins that gained share (or that lack the feature). No data (`undefined`): no observation of
 * the model in the window, the feature absent from both sides, or fewer than `minCount` values.
 */
const NS = 1_000_000n;

interface Evaluated {
  feature: FeatureJson;
  reference: string;
  observations: number;
}

async function evaluate(service: DriftService, rule: AlertRule, nowMs: number): Promise<Evaluated | undefined> {
  if (rule.model === undefined || rule.feature === undefined) return undefined;
  const name = featureOfColumn(rule.feature);
  const range = { startMs: nowMs - rule.windowMs, endMs: nowMs };
  let answer;
  try {
    answer = await service.report({
      model: rule.model,
      ...(rule.version === undefined ? {} : { version: rule.version }),
      range,
      reference: { kind: 'default' },
      exemplars: 0,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'no_observations') return undefined;
    throw error;
  }
  const feature = answer.features.find((f) => f.name === name);
  if (feature === undefined) return undefined;
  const target = { feature: feature.name, bins: feature.topMovedBins, flags: feature.flags, found: feature.exemplars };
  if (canHaveExemplars(target)) {
    await findExemplars(
      service.spans,
      {
        model: rule.model,
        ...(rule.version === undefined ? {} : { version: rule.version }),
        startNano: BigInt(range.startMs) * NS,
        endNano: BigInt(range.endMs) * NS,
      },
      [target],
      MAX_EXEMPLARS,
      service.deps.settings.maxRawSpans,
    );
  }
  return { feature, reference: answer.reference.kind, observations: answer.data.current.observations };
}

function cause(e: Evaluated, statistic: string): MetricReading['cause'] {
  const f = e.feature;
  return {
    count: f.current.count,
    statistic,
    movedBins: f.topMovedBins,
    exemplarRequestIds: [...new Set(f.exemplars.map((x) => x.requestId))],
    exemplarTraceIds: [...new Set(f.exemplars.map((x) => x.traceId))],
    details: {
      method: f.method,
      driftThreshold: f.threshold,
      drifted: f.drifted,
      pValue: f.pValue,
      statistics: f.statistics,
      flags: f.flags,
      reference: e.reference,
      referenceCount: f.reference.count,
      exact: f.exact,
    },
  };
}

/**
 * A rule without `statistic` reads what the feature's drift decision reads: the p-value of a test
 * (ks, chi_square: compare with `<`), the distance of any other method (compare with `>`).
 */
export function defaultStatistic(method: FeatureJson['method']): string | undefined {
  if (method === null) return undefined;
  return P_VALUE_METHODS.has(method) ? `${method}_p_value` : method;
}

export function driftAlertSource(service: DriftService): MetricSource {
  return async (rule, nowMs) => {
    const e = await evaluate(service, rule, nowMs);
    if (e === undefined || e.feature.current.count < rule.minCount) return undefined;
    const statistic = rule.statistic ?? defaultStatistic(e.feature.method);
    if (statistic === undefined) return undefined; // nothing compared (new feature, no reference values)
    const value = e.feature.statistics[statistic];
    if (value === undefined || value === null) {
      const known = Object.keys(e.feature.statistics).join(', ');
      throw new Error(
        `statistic "${statistic}" is not computed for ${e.feature.type} feature ${e.feature.name}; use one of ${known}`,
      );
    }
    return { value, cause: cause(e, statistic) };
  };
}

export function missingRateAlertSource(service: DriftService): MetricSource {
  return async (rule, nowMs) => {
    const e = await evaluate(service, rule, nowMs);
    if (e === undefined) return undefined;
    const f = e.feature;
    const gone = f.flags.some((x) => x.kind === 'feature_missing');
    if (!gone && f.current.count + f.current.missing < rule.minCount) return undefined;
    return {
      value: gone ? 1 : f.current.missingRate,
      cause: { ...cause(e, 'missing_rate'), count: f.current.count + f.current.missing },
    };
  };
}
