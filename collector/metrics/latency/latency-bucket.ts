import { LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';

/**
 * One time bucket of one series: request count, errors, and a DDSketch of durations in
 * milliseconds. DDSketch answers any quantile within a relative error of `relativeAccuracy` of a
 * true sample and merges losslessly, so buckets combine into coarser steps with the same bound.
 */

type DurationSketch = LogCollapsingLowestDenseDDSketch;

export interface SketchSpec {
  readonly relativeAccuracy: number;
  readonly sketchBinLimit: number;
}

/** A request to open for a bucket: the one that ended last wins (time is its end, in ms). */
export interface Exemplar {
  traceId: string;
  spanId: string;
  durationMs: number;
  timeMs: number;
}

export interface LatencyBucket {
  readonly startMs: number;
  count: number;
  errors: number;
  sumMs: number;
  readonly sketch: DurationSketch;
  exemplar: Exemplar | undefined;
  /** The latest request with status ERROR, so an error rate can be opened too. */
  errorExemplar: Exemplar | undefined;
}

export const QUANTILES = [0.5, 0.9, 0.95, 0.99] as const;

function newSketch(spec: SketchSpec): DurationSketch {
  return new LogCollapsingLowestDenseDDSketch({
    relativeAccuracy: spec.relativeAccuracy,
    binLimit: spec.sketchBinLimit,
  });
}

export function newBucket(startMs: number, spec: SketchSpec): LatencyBucket {
  const sketch = newSketch(spec);
  return { startMs, count: 0, errors: 0, sumMs: 0, sketch, exemplar: undefined, errorExemplar: undefined };
}

/** Keeps `slot` pointing at the latest request; reuses the object so the hot path does not allocate. */
export function latestExemplar(
  slot: Exemplar | undefined,
  traceId: string,
  spanId: string,
  durationMs: number,
  timeMs: number,
): Exemplar {
  if (slot === undefined) return { traceId, spanId, durationMs, timeMs };
  if (timeMs >= slot.timeMs) {
    slot.traceId = traceId;
    slot.spanId = spanId;
    slot.durationMs = durationMs;
    slot.timeMs = timeMs;
  }
  return slot;
}

/** Adds one request. `endMs` dates the exemplar. */
export function observe(
  b: LatencyBucket,
  durationMs: number,
  isError: boolean,
  traceId: string,
  spanId: string,
  endMs: number,
): void {
  b.count += 1;
  b.sumMs += durationMs;
  b.sketch.accept(durationMs);
  b.exemplar = latestExemplar(b.exemplar, traceId, spanId, durationMs, endMs);
  if (isError) {
    b.errors += 1;
    b.errorExemplar = latestExemplar(b.errorExemplar, traceId, spanId, durationMs, endMs);
  }
}

function later(a: Exemplar | undefined, b: Exemplar | undefined): Exemplar | undefined {
  const pick = a === undefined ? b : b === undefined ? a : b.timeMs >= a.timeMs ? b : a;
  return pick === undefined ? undefined : { ...pick };
}

/** A new bucket starting at `startMs` holding everything in `parts`; the parts are left unchanged. */
export function mergeBuckets(startMs: number, parts: Iterable<LatencyBucket>, spec: SketchSpec): LatencyBucket {
  const out = newBucket(startMs, spec);
  for (const p of parts) {
    out.count += p.count;
    out.errors += p.errors;
    out.sumMs += p.sumMs;
    out.sketch.merge(p.sketch);
    out.exemplar = later(out.exemplar, p.exemplar);
    out.errorExemplar = later(out.errorExemplar, p.errorExemplar);
  }
  return out;
}

export interface BucketSummary {
  count: number;
  errors: number;
  /** errors / count; 0 when there were no requests. */
  errorRate: number;
  /** Milliseconds; null when there were no requests. */
  meanMs: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  exemplar: { traceId: string; spanId: string; durationMs: number } | null;
  errorExemplar: { traceId: string; spanId: string; durationMs: number } | null;
}

function exemplarOut(e: Exemplar | undefined): BucketSummary['exemplar'] {
  return e === undefined ? null : { traceId: e.traceId, spanId: e.spanId, durationMs: e.durationMs };
}

/** Counts, error rate and p50/p90/p95/p99 (ms; the sketch's value at rank q·(n−1)). */
export function summarise(b: LatencyBucket): BucketSummary {
  const q = (x: number): number | null => (b.count === 0 ? null : b.sketch.getValueAtQuantile(x));
  return {
    count: b.count,
    errors: b.errors,
    errorRate: b.count === 0 ? 0 : b.errors / b.count,
    meanMs: b.count === 0 ? null : b.sumMs / b.count,
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    exemplar: exemplarOut(b.exemplar),
    errorExemplar: exemplarOut(b.errorExemplar),
  };
}
