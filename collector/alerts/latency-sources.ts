import { mergeBuckets, type LatencyBucket } from '../metrics/latency/latency-bucket.js';
import type { LatencyMetrics } from '../metrics/latency/latency-metrics.js';
import { matchesFilter, type SeriesFilter } from '../metrics/latency/series-key.js';
import type { AlertRule } from './alert-rule.js';
import type { MetricReading, MetricSource } from './metric-source.js';

/**
 * Latency metrics as alert sources: `latency_quantile` (milliseconds, from the DDSketch of every
 * request of the matching series in the window, within its relative accuracy) and `error_rate`
 * (errors / requests). The rule's service, operation, model and version narrow the series; absent
 * ones do not, so a rule with only `model` covers every service serving it. The exemplar is the
 * latest request (for error_rate: the latest failed one) of the window, by trace id.
 */
type LatencyWindow = Pick<LatencyMetrics, 'recentWindow' | 'options'>;

function filterOf(rule: AlertRule): SeriesFilter {
  const f: SeriesFilter = {};
  for (const k of ['service', 'operation', 'model', 'version'] as const) if (rule[k] !== undefined) f[k] = rule[k];
  return f;
}

interface WindowBucket {
  bucket: LatencyBucket;
  /** Service, operation, model and version when a single series is behind the value. */
  about: { service?: string; operation?: string; model?: string; version?: string };
}

function windowBucket(metrics: LatencyWindow, rule: AlertRule, nowMs: number): WindowBucket | undefined {
  const filter = filterOf(rule);
  const parts = metrics.recentWindow(rule.windowMs, nowMs).filter((s) => matchesFilter(s.key, filter));
  const bucket = mergeBuckets(
    nowMs - rule.windowMs,
    parts.map((p) => p.bucket),
    metrics.options,
  );
  if (bucket.count < rule.minCount) return undefined;
  const about: WindowBucket['about'] = {};
  for (const k of ['service', 'operation', 'model', 'version'] as const) {
    const values = new Set(parts.map((p) => p.key[k]));
    const only = values.size === 1 ? [...values][0] : undefined;
    if (only !== undefined && only !== '') about[k] = only;
  }
  return { bucket, about };
}

function exemplar(e: LatencyBucket['exemplar']): Pick<NonNullable<MetricReading['cause']>, 'exemplarTraceIds'> {
  return { exemplarTraceIds: e === undefined ? [] : [e.traceId] };
}

export function latencyQuantileSource(metrics: LatencyWindow): MetricSource {
  return async (rule, nowMs) => {
    const w = windowBucket(metrics, rule, nowMs);
    if (w === undefined) return undefined;
    const b = w.bucket;
    const q = rule.quantile ?? 0.99;
    return {
      value: b.sketch.getValueAtQuantile(q),
      cause: {
        ...w.about,
        count: b.count,
        quantile: q,
        ...exemplar(b.exemplar),
        details: { unit: 'ms', relativeAccuracy: metrics.options.relativeAccuracy, meanMs: b.sumMs / b.count },
      },
    };
  };
}

export function errorRateSource(metrics: LatencyWindow): MetricSource {
  return async (rule, nowMs) => {
    const w = windowBucket(metrics, rule, nowMs);
    if (w === undefined) return undefined;
    const b = w.bucket;
    return {
      value: b.errors / b.count,
      cause: { ...w.about, count: b.count, ...exemplar(b.errorExemplar ?? b.exemplar), details: { errors: b.errors } },
    };
  };
}
