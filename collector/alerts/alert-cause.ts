import type { AlertCause } from './alert.js';
import { formatDuration, type AlertRule } from './alert-rule.js';
import type { MetricReading } from './metric-source.js';

/**
 * The cause of an alert (pure): what the rule is about, the value against the threshold, and what
 * the source added (count, exemplars, moved bins, details), with one sentence summing it up, e.g.
 * "accuracy of model fraud version 3 is 0.62 (< 0.8) over the last 1h, from 412 observations".
 */
const SELECTOR = ['model', 'version', 'feature', 'statistic', 'service', 'operation'] as const;

function formatValue(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

function summarise(c: AlertCause): string {
  const about = [
    c.model !== undefined && `model ${c.model}`,
    c.version !== undefined && `version ${c.version}`,
    c.feature !== undefined && `feature ${c.feature}`,
    c.service !== undefined && `service ${c.service}`,
    c.operation !== undefined && `operation ${c.operation}`,
  ]
    .filter(Boolean)
    .join(' ');
  const metric = [
    c.quantile !== undefined ? `p${formatValue(c.quantile * 100)} ${c.metric}` : c.metric,
    c.statistic !== undefined ? ` (${c.statistic})` : '',
  ].join('');
  const count = c.count === undefined ? '' : `, from ${c.count} observations`;
  return `${metric} of ${about || 'all requests'} is ${formatValue(c.value)} (${c.comparison} ${formatValue(c.threshold)}) over the last ${c.window}${count}`;
}

export function buildCause(rule: AlertRule, reading: MetricReading): AlertCause {
  // Built in reading order: what, how much against what, the evidence, the sentence.
  const about: Partial<AlertCause> = {};
  for (const key of SELECTOR) if (rule[key] !== undefined) about[key] = rule[key];
  if (rule.quantile !== undefined) about.quantile = rule.quantile;
  const { count, movedBins, exemplarRequestIds, exemplarTraceIds, details, ...overrides } = reading.cause ?? {};
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (about as Record<string, unknown>)[k] = v;
  const cause: AlertCause = {
    metric: rule.metric,
    ...about,
    value: reading.value,
    threshold: rule.threshold,
    comparison: rule.comparison,
    window: formatDuration(rule.windowMs),
    ...(count === undefined ? {} : { count }),
    ...(movedBins === undefined ? {} : { movedBins }),
    exemplarRequestIds: exemplarRequestIds ?? [],
    exemplarTraceIds: exemplarTraceIds ?? [],
    summary: '',
    ...(details === undefined ? {} : { details }),
  };
  cause.summary = summarise(cause);
  return cause;
}
