import { latestExemplar, type Exemplar } from './latency-bucket.js';

/**
 * Running totals of one series since the collector started, for Prometheus: counters must never
 * go down, so they are kept apart from the time buckets (which are evicted). The histogram has
 * fixed ranges: range i holds durations in (bound[i-1], bound[i]] seconds, the last one (bound[n-1], +Inf).
 */
export interface SeriesTotals {
  count: number;
  errors: number;
  sumSeconds: number;
  /** Per range, not cumulative (the exposition cumulates); length = bounds + 1. */
  readonly rangeCounts: number[];
  /** The latest request in each range, for OpenMetrics exemplars on `_bucket` lines. */
  readonly rangeExemplars: (Exemplar | undefined)[];
  /** The latest request with status ERROR, for an exemplar on the error counter. */
  errorExemplar: Exemplar | undefined;
}

export function newSeriesTotals(boundsSeconds: readonly number[]): SeriesTotals {
  const n = boundsSeconds.length + 1;
  return {
    count: 0,
    errors: 0,
    sumSeconds: 0,
    rangeCounts: new Array<number>(n).fill(0),
    rangeExemplars: new Array<Exemplar | undefined>(n).fill(undefined),
    errorExemplar: undefined,
  };
}

/** The range a duration falls in: the first bound ≥ it (Prometheus `le` semantics), else the +Inf range. */
function rangeIndex(boundsSeconds: readonly number[], seconds: number): number {
  let lo = 0;
  let hi = boundsSeconds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((boundsSeconds[mid] as number) >= seconds) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function observeTotals(
  t: SeriesTotals,
  boundsSeconds: readonly number[],
  durationMs: number,
  isError: boolean,
  traceId: string,
  spanId: string,
  endMs: number,
): void {
  const seconds = durationMs / 1000;
  const i = rangeIndex(boundsSeconds, seconds);
  t.count += 1;
  t.sumSeconds += seconds;
  t.rangeCounts[i] = (t.rangeCounts[i] as number) + 1;
  t.rangeExemplars[i] = latestExemplar(t.rangeExemplars[i], traceId, spanId, durationMs, endMs);
  if (isError) {
    t.errors += 1;
    t.errorExemplar = latestExemplar(t.errorExemplar, traceId, spanId, durationMs, endMs);
  }
}
