import type { AlertCause } from './alert.js';
import type { AlertRule } from './alert-rule.js';

/**
 * A metric source computes a rule's metric at a time: the value over the rule's window ending at
 * `nowMs`, and as much of the cause as it knows (count, exemplar request and trace ids, moved
 * bins, the version or statistic it actually used…). `undefined` means no data: fewer than
 * `rule.minCount` observations in the window. Sources may throw; the engine reports the error on
 * the rule and keeps the alert's state.
 *
 * Sources are registered by metric name, so the collector can plug in drift (and missing rate)
 * from its drift summaries: `engine.registerSource('drift', driftSource)`.
 */
export interface MetricReading {
  value: number;
  cause?: Partial<Omit<AlertCause, 'value' | 'threshold' | 'comparison' | 'window' | 'metric'>>;
}

export type MetricSource = (rule: AlertRule, nowMs: number) => Promise<MetricReading | undefined>;

/** At most this many exemplar ids are kept in a cause. */
export const MAX_EXEMPLARS = 5;
