import type { FeedbackStore } from '../feedback/feedback-store.js';
import type { FeedbackRecord } from '../feedback/feedback-types.js';
import { isCorrect, numericPrediction, scoreRecords } from '../feedback/performance-metrics.js';
import type { AlertRule } from './alert-rule.js';
import { MAX_EXEMPLARS, type MetricSource } from './metric-source.js';

/**
 * Model quality from joined feedback as alert sources: `accuracy`, `mae`, `rmse` over the
 * predictions made in the window (by prediction time; labels that arrive later count once they
 * do), for the rule's model, version (if given) and slice (if given). Exemplars: the latest wrong
 * predictions (accuracy) or the largest errors (mae, rmse).
 */
type Metric = 'accuracy' | 'mae' | 'rmse';

function recordsFor(store: Pick<FeedbackStore, 'scan'>, rule: AlertRule, nowMs: number): FeedbackRecord[] {
  return [
    ...store.scan({
      model: rule.model ?? '',
      fromMs: nowMs - rule.windowMs,
      toMs: nowMs + 1,
      ...(rule.version === undefined ? {} : { version: rule.version }),
      ...(rule.slice === undefined ? {} : { where: rule.slice }),
    }),
  ];
}

function exemplars(records: FeedbackRecord[]) {
  const top = records.slice(0, MAX_EXEMPLARS);
  return { exemplarRequestIds: top.map((r) => r.requestId), exemplarTraceIds: top.map((r) => r.traceId) };
}

const versionsOf = (records: FeedbackRecord[]): string[] => [...new Set(records.map((r) => r.version))].sort();

/** The version the cause names: the only one behind the value (a rule without version may cover several). */
function versionOf(records: FeedbackRecord[]): { version?: string } {
  const versions = versionsOf(records);
  return versions.length === 1 ? { version: versions[0]! } : {};
}

function source(store: Pick<FeedbackStore, 'scan'>, metric: Metric): MetricSource {
  return async (rule, nowMs) => {
    const records = recordsFor(store, rule, nowMs);
    const score = scoreRecords(records);
    if (metric === 'accuracy') {
      const c = score.classification;
      if (c === null || c.count < rule.minCount) return undefined;
      const wrong = records
        .filter((r) => r.truth.kind === 'label' && r.prediction !== null && !isCorrect(r.prediction, r.truth.label))
        .reverse();
      return {
        value: c.accuracy,
        cause: {
          ...versionOf(records),
          count: c.count,
          ...exemplars(wrong),
          details: { correct: c.correct, versions: versionsOf(records) },
        },
      };
    }
    const r = score.regression;
    if (r === null || r.count < rule.minCount) return undefined;
    const errorOf = (x: FeedbackRecord): number =>
      x.truth.kind === 'value' ? Math.abs((numericPrediction(x.prediction) ?? Number.NaN) - x.truth.value) : Number.NaN;
    const worst = records.filter((x) => Number.isFinite(errorOf(x))).sort((a, b) => errorOf(b) - errorOf(a));
    return {
      value: metric === 'mae' ? r.mae : r.rmse,
      cause: {
        ...versionOf(records),
        count: r.count,
        ...exemplars(worst),
        details: { mae: r.mae, rmse: r.rmse, versions: versionsOf(records) },
      },
    };
  };
}

export const accuracySource = (store: Pick<FeedbackStore, 'scan'>): MetricSource => source(store, 'accuracy');
export const maeSource = (store: Pick<FeedbackStore, 'scan'>): MetricSource => source(store, 'mae');
export const rmseSource = (store: Pick<FeedbackStore, 'scan'>): MetricSource => source(store, 'rmse');
