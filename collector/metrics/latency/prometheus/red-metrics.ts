import type { Exemplar } from '../latency-bucket.js';
import { QUANTILES } from '../latency-bucket.js';
import type { LatencyMetrics } from '../latency-metrics.js';
import type { SeriesKey } from '../series-key.js';
import type { HistogramSample, Labels, MetricExemplar, MetricFamily, ScalarSample } from './metric-family.js';

/**
 * The RED metrics (rate, errors, duration) of the latency listener as metric families:
 * - `infertrace_requests_total` and `infertrace_request_errors_total` counters,
 * - `infertrace_request_duration_seconds` histogram over fixed ranges, with trace-id exemplars,
 * - `infertrace_request_duration_quantile_seconds{quantile}` gauges from the DDSketch over the
 *   recent window (more precise than the histogram's ranges, but not aggregatable across series),
 * - `infertrace_latency_series` / `infertrace_latency_buckets` gauges, the listener's memory drivers,
 *   and `infertrace_latency_unbucketed_spans_total{reason}` / `infertrace_latency_duplicate_spans_total`.
 * Every series carries the labels service, operation, model and version.
 */
function labels(k: SeriesKey): Labels {
  return { service: k.service, operation: k.operation, model: k.model, version: k.version };
}

function exemplar(e: Exemplar | undefined): MetricExemplar | undefined {
  if (e === undefined) return undefined;
  return {
    labels: { trace_id: e.traceId, span_id: e.spanId },
    value: e.durationMs / 1000,
    timestampSeconds: e.timeMs / 1000,
  };
}

function redMetricFamilies(metrics: LatencyMetrics, nowMs?: number): MetricFamily[] {
  const bounds = metrics.options.histogramBoundsSeconds;
  const totals = metrics.totals();
  const requests: ScalarSample[] = [];
  const errors: ScalarSample[] = [];
  const durations: HistogramSample[] = [];
  for (const { key, totals: t } of totals) {
    const l = labels(key);
    requests.push({ labels: l, value: t.count });
    const errorExemplar = exemplar(t.errorExemplar);
    const errorSample: ScalarSample = { labels: l, value: t.errors };
    if (errorExemplar) errorSample.exemplar = errorExemplar;
    errors.push(errorSample);
    let cumulative = 0;
    const buckets = bounds.map((le, i) => {
      cumulative += t.rangeCounts[i] as number;
      const e = exemplar(t.rangeExemplars[i]);
      return e ? { le, count: cumulative, exemplar: e } : { le, count: cumulative };
    });
    const infExemplar = exemplar(t.rangeExemplars[bounds.length]);
    const sample: HistogramSample = { labels: l, buckets, sum: t.sumSeconds, count: t.count };
    if (infExemplar) sample.infExemplar = infExemplar;
    durations.push(sample);
  }

  const windowMs = metrics.options.quantileWindowMs;
  const quantiles: ScalarSample[] = [];
  for (const { key, bucket } of metrics.recentWindow(windowMs, nowMs)) {
    for (const q of QUANTILES) {
      const value = bucket.sketch.getValueAtQuantile(q) / 1000;
      quantiles.push({ labels: { ...labels(key), quantile: String(q) }, value });
    }
  }

  const stats = metrics.stats();
  const { relativeAccuracy } = metrics.options;
  const one = (value: number): ScalarSample[] => [{ labels: {}, value }];
  return [
    {
      type: 'counter',
      name: 'infertrace_requests_total',
      help: 'Requests served (SERVER/CONSUMER spans and root spans of other work).',
      samples: requests,
    },
    {
      type: 'counter',
      name: 'infertrace_request_errors_total',
      help: 'Requests whose span status is ERROR.',
      samples: errors,
    },
    {
      type: 'histogram',
      name: 'infertrace_request_duration_seconds',
      unit: 'seconds',
      help: 'Request durations (span end minus start).',
      samples: durations,
    },
    {
      type: 'gauge',
      name: 'infertrace_request_duration_quantile_seconds',
      unit: 'seconds',
      help:
        `Request duration quantiles over the last ${windowMs / 1000} s, from a DDSketch ` +
        `(within ±${relativeAccuracy * 100}% of a real request's duration).`,
      samples: quantiles,
    },
    {
      type: 'gauge',
      name: 'infertrace_latency_series',
      help: 'Latency series held in memory.',
      samples: one(stats.series),
    },
    {
      type: 'gauge',
      name: 'infertrace_latency_buckets',
      help: 'Latency time buckets (each one DDSketch) held in memory.',
      samples: one(stats.buckets),
    },
    {
      type: 'counter',
      name: 'infertrace_latency_unbucketed_spans_total',
      help: 'Request spans in the counters but in no time bucket: dated outside the horizon, or over the bucket limit.',
      samples: [
        { labels: { reason: 'outside_horizon' }, value: stats.outsideHorizon },
        { labels: { reason: 'bucket_limit' }, value: stats.bucketLimited },
      ],
    },
    {
      type: 'counter',
      name: 'infertrace_latency_duplicate_spans_total',
      help: 'Request spans seen again recently (retried exports) and not counted twice.',
      samples: one(stats.duplicates),
    },
  ];
}

/** Puts the latency listener's RED metrics on the registry's `/metrics`; returns the unregister function. */
export function registerRedMetrics(
  registry: { register(source: () => MetricFamily[]): () => void },
  metrics: LatencyMetrics,
): () => void {
  return registry.register(() => redMetricFamilies(metrics));
}
