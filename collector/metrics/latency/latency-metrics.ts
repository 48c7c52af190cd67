import type { SpanRecord } from '../../../shared/span-record.js';
import type { SpanListener } from '../span-listener.js';
import { newBucket, observe, mergeBuckets, type LatencyBucket } from './latency-bucket.js';
import { resolveLatencyOptions, type LatencyOptions } from './latency-options.js';
import { RecentSpanIds } from './recent-span-ids.js';
import { isRequestSpan, seriesKeyOf } from './request-spans.js';
import { OVERFLOW_SERIES, compareSeriesKeys, matchesFilter, seriesId, type SeriesFilter, type SeriesKey } from './series-key.js';
import { newSeriesTotals, observeTotals, type SeriesTotals } from './series-totals.js';
import { alignDown, rollUp, type RolledUp, type StepRange } from './step-series.js';

interface SeriesState {
  readonly key: SeriesKey;
  readonly totals: SeriesTotals;
  /** Time buckets by their start (ms since the epoch). */
  readonly buckets: Map<number, LatencyBucket>;
}

export interface LatencyStats {
  series: number;
  buckets: number;
  /** Request spans counted in the totals but dated too far in the past or future for a time bucket. */
  outsideHorizon: number;
  /** Request spans ignored because the same span was seen recently (a retried export). */
  duplicates: number;
}

/**
 * RED metrics derived from the span stream (a SpanListener): per (service, operation, model,
 * version) and per time bucket, requests, errors and a DDSketch of durations; plus running totals
 * for Prometheus. Spans are bucketed by their start time. Buckets that ended more than the horizon
 * ago are evicted (checked once per bucket width), and spans starting more than a horizon in the
 * future are not bucketed, so memory stays bounded (see LatencyOptions).
 */
export class LatencyMetrics implements SpanListener {
  readonly name = 'latency-metrics';
  readonly options: LatencyOptions;
  private readonly series = new Map<string, SeriesState>();
  private readonly recent: RecentSpanIds;
  private nextEvictionMs = -Infinity;
  private outsideHorizon = 0;
  private duplicates = 0;

  constructor(
    options: Partial<LatencyOptions> = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.options = resolveLatencyOptions(options);
    this.recent = new RecentSpanIds(this.options.dedupeCapacity);
  }

  onSpans(spans: readonly SpanRecord[]): void {
    const now = this.clock();
    this.evictIfDue(now);
    for (const span of spans) this.add(span, now);
  }

  /**
   * Starts over from stored spans (e.g. after a restart, from the spans of the last horizon);
   * returns how many request spans were counted. Totals then count these spans too.
   */
  rebuildFrom(spans: Iterable<SpanRecord>): number {
    this.series.clear();
    this.recent.clear();
    this.outsideHorizon = 0;
    this.duplicates = 0;
    const now = this.clock();
    this.evictIfDue(now);
    let counted = 0;
    for (const span of spans) if (this.add(span, now)) counted += 1;
    return counted;
  }

  /** Drops every bucket that ended at or before `nowMs - horizon`. */
  evict(nowMs: number): void {
    const { bucketWidthMs: width, horizonMs } = this.options;
    for (const state of this.series.values()) {
      for (const start of state.buckets.keys()) {
        if (start + width <= nowMs - horizonMs) state.buckets.delete(start);
      }
    }
    this.nextEvictionMs = nowMs + width;
  }

  /** The earliest time still held in buckets (older data has been evicted). */
  retainedFromMs(nowMs: number = this.clock()): number {
    const width = this.options.bucketWidthMs;
    return alignDown(nowMs - this.options.horizonMs, width) + width;
  }

  /** Matching series rolled up into steps, sorted by key. Series with no requests in range are left out. */
  query(filter: SeriesFilter, range: StepRange): { key: SeriesKey; rolled: RolledUp }[] {
    this.evictIfDue(this.clock());
    const out: { key: SeriesKey; rolled: RolledUp }[] = [];
    for (const state of this.series.values()) {
      if (!matchesFilter(state.key, filter)) continue;
      const rolled = rollUp(state.buckets.values(), range, this.options);
      if (rolled.total.count > 0) out.push({ key: state.key, rolled });
    }
    return out.sort((a, b) => compareSeriesKeys(a.key, b.key));
  }

  /** Per series, everything in the buckets overlapping the last `windowMs`; series without requests left out. */
  recentWindow(windowMs: number, nowMs: number = this.clock()): { key: SeriesKey; bucket: LatencyBucket }[] {
    this.evictIfDue(nowMs);
    const from = alignDown(nowMs - windowMs, this.options.bucketWidthMs);
    const out: { key: SeriesKey; bucket: LatencyBucket }[] = [];
    for (const state of this.series.values()) {
      const parts = [...state.buckets.values()].filter((b) => b.startMs >= from && b.startMs <= nowMs);
      const bucket = mergeBuckets(from, parts, this.options);
      if (bucket.count > 0) out.push({ key: state.key, bucket });
    }
    return out;
  }

  /** Running totals since start (or since the last rebuild), for counters. Read-only views. */
  totals(): { key: SeriesKey; totals: Readonly<SeriesTotals> }[] {
    return [...this.series.values()].map((s) => ({ key: s.key, totals: s.totals }));
  }

  stats(): LatencyStats {
    let buckets = 0;
    for (const s of this.series.values()) buckets += s.buckets.size;
    return { series: this.series.size, buckets, outsideHorizon: this.outsideHorizon, duplicates: this.duplicates };
  }

  private evictIfDue(now: number): void {
    if (now >= this.nextEvictionMs) this.evict(now);
  }

  /** Counts one span if it is a request not seen before; true when it was counted. */
  private add(span: SpanRecord, now: number): boolean {
    if (!isRequestSpan(span)) return false;
    if (!this.recent.add(span.traceId + span.spanId + span.kind)) {
      this.duplicates += 1;
      return false;
    }
    const state = this.stateFor(seriesKeyOf(span));
    const d = span.endTimeUnixNano - span.startTimeUnixNano;
    const durationMs = d > 0n ? Number(d) / 1e6 : 0;
    // Float milliseconds are exact to well under a microsecond: ample for minute-wide buckets.
    const startMs = Number(span.startTimeUnixNano) / 1e6;
    const endMs = startMs + durationMs;
    const isError = span.status.code === 'ERROR';
    const { bucketWidthMs: width, horizonMs, histogramBoundsSeconds } = this.options;
    observeTotals(state.totals, histogramBoundsSeconds, durationMs, isError, span.traceId, span.spanId, endMs);
    const start = alignDown(startMs, width);
    if (start + width <= now - horizonMs || start > now + horizonMs) {
      this.outsideHorizon += 1;
      return true;
    }
    let bucket = state.buckets.get(start);
    if (bucket === undefined) {
      bucket = newBucket(start, this.options);
      state.buckets.set(start, bucket);
    }
    observe(bucket, durationMs, isError, span.traceId, span.spanId, endMs);
    return true;
  }

  private stateFor(key: SeriesKey): SeriesState {
    let id = seriesId(key);
    let state = this.series.get(id);
    if (state !== undefined) return state;
    // The overflow series does not count towards the limit, so the limit is reached at most once.
    const overflowId = seriesId(OVERFLOW_SERIES);
    if (this.series.size - (this.series.has(overflowId) ? 1 : 0) >= this.options.maxSeries) {
      id = overflowId;
      key = OVERFLOW_SERIES;
      state = this.series.get(id);
      if (state !== undefined) return state;
    }
    state = { key, totals: newSeriesTotals(this.options.histogramBoundsSeconds), buckets: new Map() };
    this.series.set(id, state);
    return state;
  }
}
