import type { MetricSource } from '../alerts/metric-source.js';
import type { EstimateService } from './estimate-service.js';
import { MIN_LABELS, stepEstimate } from './estimate-service.js';

/**
 * The estimated performance as alert sources, over the rule's window ending now, for its model
 * (and version):
 * - `estimated_accuracy`: the CBPE estimate on every prediction (no labels needed); no data with
 *   fewer than `minCount` predictions carrying class probabilities;
 * - `concept_drift`: 1 when the realised accuracy of the labelled predictions lies outside the
 *   interval estimated for them, else 0; no data with fewer than `minCount` labels (and at least MIN_LABELS).
 * The calibration reference is not needed here; the API shows it.
 */
export function estimateAlertSources(
  service: EstimateService,
): Record<'estimated_accuracy' | 'concept_drift', MetricSource> {
  const read = async (rule: Parameters<MetricSource>[0], nowMs: number) => {
    const s = service;
    const range = { startMs: nowMs - rule.windowMs, endMs: nowMs + 1 };
    const { rows } = await s.rows(
      { model: rule.model ?? '', ...(rule.version === undefined ? {} : { version: rule.version }) },
      range,
    );
    return stepEstimate(range.startMs, range.endMs, rows);
  };
  return {
    estimated_accuracy: async (rule, nowMs) => {
      const e = await read(rule, nowMs);
      if (e.estimated.accuracy === null || e.estimated.count < rule.minCount) return undefined;
      return {
        value: e.estimated.accuracy,
        cause: { count: e.estimated.count, details: { low: e.estimated.low, high: e.estimated.high } },
      };
    },
    concept_drift: async (rule, nowMs) => {
      const e = await read(rule, nowMs);
      if (e.labelled.realised === null || e.labelled.count < Math.max(rule.minCount, MIN_LABELS)) return undefined;
      return {
        value: e.conceptDrift ? 1 : 0,
        cause: {
          count: e.labelled.count,
          details: {
            realised: e.labelled.realised,
            expected: e.labelled.expected.accuracy,
            low: e.labelled.expected.low,
            high: e.labelled.expected.high,
          },
        },
      };
    },
  };
}
