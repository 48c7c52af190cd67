import type { ConfigReader, Setting } from '../../../shared/config.js';

/**
 * Settings of the latency metrics. Memory is bounded by them: at most `maxBuckets` time buckets in
 * all (each one DDSketch of at most `sketchBinLimit` bins; typically 2–6 KiB, see the benchmark),
 * at most `horizonMs / bucketWidthMs` per series, and running totals for at most `maxSeries` series.
 */
export interface LatencyOptions {
  /** Width of a time bucket; buckets are aligned to the Unix epoch. Default 1 minute. */
  readonly bucketWidthMs: number;
  /** Buckets that ended longer ago than this are evicted. Default 24 hours. */
  readonly horizonMs: number;
  /** DDSketch relative accuracy: every quantile is within this fraction of a true sample. Default 0.01. */
  readonly relativeAccuracy: number;
  /** Bins a sketch may hold before it collapses its lowest ones (only reached past a 1e17× value range). */
  readonly sketchBinLimit: number;
  /** Distinct (service, operation, model, version) series kept; spans beyond go to one overflow series. */
  readonly maxSeries: number;
  /** Time buckets kept in all; spans that would need another are counted in the totals only. */
  readonly maxBuckets: number;
  /** Upper bounds (seconds) of the Prometheus histogram ranges, ascending; `+Inf` is implied. */
  readonly histogramBoundsSeconds: readonly number[];
  /** Window over which `/metrics` reports sketch quantiles as gauges. Default 5 minutes. */
  readonly quantileWindowMs: number;
  /** Recently seen span ids remembered to ignore a retried export's duplicates. Default 65,536. */
  readonly dedupeCapacity: number;
}

export const DEFAULT_LATENCY_OPTIONS: LatencyOptions = Object.freeze({
  bucketWidthMs: 60_000,
  horizonMs: 24 * 3_600_000,
  relativeAccuracy: 0.01,
  sketchBinLimit: 2048,
  maxSeries: 1_000,
  maxBuckets: 100_000,
  histogramBoundsSeconds: Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
  quantileWindowMs: 5 * 60_000,
  dedupeCapacity: 65_536,
});

/** Every problem with the options, each naming the option; empty when they are usable. */
function latencyOptionProblems(o: LatencyOptions): string[] {
  const problems: string[] = [];
  const positiveInt = (name: keyof LatencyOptions, v: number): void => {
    if (!Number.isInteger(v) || v <= 0) problems.push(`${name} must be a positive whole number, got ${v}`);
  };
  positiveInt('bucketWidthMs', o.bucketWidthMs);
  positiveInt('horizonMs', o.horizonMs);
  positiveInt('sketchBinLimit', o.sketchBinLimit);
  positiveInt('maxSeries', o.maxSeries);
  positiveInt('maxBuckets', o.maxBuckets);
  positiveInt('quantileWindowMs', o.quantileWindowMs);
  positiveInt('dedupeCapacity', o.dedupeCapacity);
  if (o.horizonMs < o.bucketWidthMs) problems.push('horizonMs must be at least bucketWidthMs');
  if (!(o.relativeAccuracy > 0 && o.relativeAccuracy < 1)) {
    problems.push(`relativeAccuracy must be between 0 and 1 (exclusive), got ${o.relativeAccuracy}`);
  }
  const b = o.histogramBoundsSeconds;
  const ascending = b.every((v, i) => Number.isFinite(v) && v > 0 && (i === 0 || v > (b[i - 1] as number)));
  if (b.length === 0 || !ascending) {
    problems.push('histogramBoundsSeconds must be a non-empty list of positive, strictly ascending numbers');
  }
  return problems;
}

/** Defaults overlaid with `overrides`; throws a RangeError naming every bad option. */
export function resolveLatencyOptions(overrides: Partial<LatencyOptions> = {}): LatencyOptions {
  const o = { ...DEFAULT_LATENCY_OPTIONS, ...overrides };
  const problems = latencyOptionProblems(o);
  if (problems.length > 0) throw new RangeError(`invalid latency metrics options: ${problems.join('; ')}`);
  return Object.freeze({ ...o, histogramBoundsSeconds: Object.freeze([...o.histogramBoundsSeconds]) });
}

/** The environment variables (and flags) that set the options; documented in the README. */
export const LATENCY_SETTINGS = {
  bucketWidth: { flag: 'latency-bucket', env: 'INFERTRACE_LATENCY_BUCKET' },
  horizon: { flag: 'latency-horizon', env: 'INFERTRACE_LATENCY_HORIZON' },
  maxSeries: { flag: 'latency-max-series', env: 'INFERTRACE_LATENCY_MAX_SERIES' },
  maxBuckets: { flag: 'latency-max-buckets', env: 'INFERTRACE_LATENCY_MAX_BUCKETS' },
  quantileWindow: { flag: 'latency-quantile-window', env: 'INFERTRACE_LATENCY_QUANTILE_WINDOW' },
} as const;

/**
 * Reads the options through the collector's ConfigReader; problems are added to the reader so they
 * are reported with every other configuration problem at start-up.
 */
export function readLatencyOptions(reader: ConfigReader): LatencyOptions {
  const duration = (s: Setting, fallback: number): number => reader.duration(s, fallback, { min: 1 });
  const d = DEFAULT_LATENCY_OPTIONS;
  const o: LatencyOptions = {
    ...d,
    bucketWidthMs: duration(LATENCY_SETTINGS.bucketWidth, d.bucketWidthMs),
    horizonMs: duration(LATENCY_SETTINGS.horizon, d.horizonMs),
    quantileWindowMs: duration(LATENCY_SETTINGS.quantileWindow, d.quantileWindowMs),
    maxSeries: reader.number(LATENCY_SETTINGS.maxSeries, d.maxSeries, { min: 1, max: 1_000_000, integer: true }),
    maxBuckets: reader.number(LATENCY_SETTINGS.maxBuckets, d.maxBuckets, { min: 1, max: 100_000_000, integer: true }),
  };
  const problems = latencyOptionProblems(o);
  if (problems.length > 0) {
    reader.problems.push(...problems.map((p) => `latency metrics: ${p}`));
    return d;
  }
  return Object.freeze(o);
}
