/**
 * An alert rule: a metric about something (a model, a feature, a service…), a threshold with a
 * comparison, a window the metric is computed over, and how long (`for`) the condition must hold
 * before the alert fires. The same shape comes from the rules file and from the API.
 */
export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Metrics with a meaning the engine knows (their required fields are checked); others may be registered. */
export const KNOWN_METRICS = [
  'drift',
  'missing_rate',
  'latency_quantile',
  'error_rate',
  'accuracy',
  'mae',
  'rmse',
] as const;

export type RuleOrigin = 'file' | 'api';

/** What a metric is about; which fields apply depends on the metric. Rules and alert causes share it. */
export interface AlertSubject {
  metric: string;
  model?: string;
  version?: string;
  feature?: string;
  /** Drift statistic (e.g. psi, jensen_shannon, ks_p_value); default: the feature's drift method. */
  statistic?: string;
  service?: string;
  operation?: string;
  /** Latency quantile in (0, 1), e.g. 0.99. */
  quantile?: number;
}

export interface AlertRule extends AlertSubject {
  /** Stable identifier: lower-case letters, digits, `-`, `_`, `.`. */
  id: string;
  /** The alert's name (Alertmanager's `alertname`); defaults to the id. */
  name: string;
  /** Span attribute → value: only observations of this slice (feedback metrics). */
  slice?: Record<string, string>;
  comparison: Comparison;
  threshold: number;
  windowMs: number;
  forMs: number;
  /** Fewer observations than this in the window count as no data (default 1). */
  minCount: number;
  severity: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Receiver names to notify; undefined: every receiver. */
  receivers?: string[];
  /**
   * The dataset a retraining job should fetch when the alert fires (its notifications link to it
   * and its manifest): a model and the parameters of `GET /api/datasets/{model}`.
   */
  dataset?: AlertDataset;
  origin: RuleOrigin;
}

export interface AlertDataset {
  model: string;
  parameters: [string, string][];
}

/** Whether `value` meets the rule's condition. NaN never does. */
export function conditionMet(value: number, comparison: Comparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1000, 's'],
];

/** Milliseconds as the shortest exact duration text: 3600000 → "1h", 90000 → "90s", 1500 → "1500ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const [size, unit] of UNITS) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
