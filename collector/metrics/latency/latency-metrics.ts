import { ML } from '../../../shared/attribute-keys.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { isUntimed } from '../../../shared/span-record.js';
import type { SpanListener } from '../../storage/span-listener.js';
import { newBucket, observe, mergeBuckets, type LatencyBucket } from './latency-bucket.js';
import { resolveLatencyOptions, type LatencyOptions } from './latency-options.js';
import { RecentSpanIds } from './recent-span-ids.js';
import { isRequestSpan, modelAttribute } from './request-spans.js';
import { SeriesIndex } from './series-index.js';
import { OVERFLOW_SERIES, compareSeriesKeys, matchesFilter, type SeriesFilter, type SeriesKey } from './series-key.js';
import { newSeriesTotals, observeTotals, type SeriesTotals } from './series-totals.js';
import { alignDown, rollUp, type RolledUp, type StepRange } from './step-series.js';

interface SeriesState {
  readonly key: SeriesKey;
  readonly totals: SeriesTotals;
  /** Time buckets by index (start / width: a small integer, which Maps look up fastest). */
  readonly buckets: Map<number, LatencyBucket>;
  /** The bucket used last: spans of one batch mostly fall in the same minute. */
  last: LatencyBucket | undefined;
}

export interface LatencyStats {
  series: number;
  buckets: number;
  /** Request spans counted in the totals but dated too far in the past or future for a time bucket. */
  outsideHorizon: number;
  /** Request spans counted in the totals only because `maxBuckets` buckets were already held. */
  bucketLimited: number;
  /** Request spans ignored because the same span was seen recently (a retried export). */
  duplicates: number;
}

/**
 * RED metrics derived from the span stream (a SpanListener): per (service, operation, model,
 * version) and per time bucket, requests, errors and a DDSketch of durations; plus running totals
 * for Prometheus. Spans are bucketed by their start time. Buckets that ended more than the horizon
 * ago are evicted (checked once per bucket width), spans starting more than a horizon in the
 * future are not bucketed, and no more than `maxBuckets` buckets are held, so memory stays bounded
 * (see LatencyOptions); spans left out of buckets still count in the totals and are counted.
 */
export class LatencyMetrics implements SpanListener {
  readonly name = 'latency-metrics';
  readonly options: LatencyOptions;
  private readonly series = new SeriesIndex<SeriesState>();
  private readonly recent: RecentSpanIds;
  private nextEvictionMs = -Infinity;
  private bucketCount = 0;
  private outsideHorizon = 0;
  private bucketLimited = 0;
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
    this.bucketCount = 0;
    this.bucketLimited = 0;
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
      for (const [index, bucket] of state.buckets) {
        if (bucket.startMs + width <= nowMs - horizonMs) {
          state.buckets.delete(index);
          this.bucketCount -= 1;
        }
      }
      state.last = undefined;
    }
    this.nextEvictionMs = nowMs + width;
  }

  /** Erasure of a data subject: forgets the exemplars that point at these traces; returns how many. */
  dropExemplars(traceIds: ReadonlySet<string>): number {
    let dropped = 0;
    for (const state of this.series.values()) {
      for (const bucket of state.buckets.values()) {
        if (bucket.exemplar !== undefined && traceIds.has(bucket.exemplar.traceId)) {
          bucket.exemplar = undefined;
          dropped += 1;
        }
        if (bucket.errorExemplar !== undefined && traceIds.has(bucket.errorExemplar.traceId)) {
          bucket.errorExemplar = undefined;
          dropped += 1;
        }
      }
    }
    return dropped;
  }

  /** The earliest time still held in buckets (older data has been evicted). */
  retainedFromMs(nowMs: number = this.clock()): number {
    const width = this.options.bucketWidthMs;
    return alignDown(nowMs - this.options.horizonMs, width) + width;
  }

  /** Matching series rolled up into steps, sorted by key; series with no requests in range are left out. */
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
    return [...this.series.values()]
      .map((s) => ({ key: s.key, totals: s.totals }))
      .sort((a, b) => compareSeriesKeys(a.key, b.key));
  }

  stats(): LatencyStats {
    return {
      series: this.series.size,
      buckets: this.bucketCount,
      outsideHorizon: this.outsideHorizon,
      bucketLimited: this.bucketLimited,
      duplicates: this.duplicates,
    };
  }

  private evictIfDue(now: number): void {
    if (now >= this.nextEvictionMs) this.evict(now);
  }

  /** Counts one span if it is a request not seen before; true when it was counted. */
  private add(span: SpanRecord, now: number): boolean {
    if (!isRequestSpan(span) || isUntimed(span)) return false; // an untimed late half: its timed half counts
    // The span id alone: it is random 64-bit, and of a Zipkin shared client/server pair only the server counts.
    if (!this.recent.add(span.spanId)) {
      this.duplicates += 1;
      return false;
    }
    const state = this.stateFor(
      span.serviceName,
      span.name,
      modelAttribute(span.attributes[ML.modelName]),
      modelAttribute(span.attributes[ML.modelVersion]),
    );
    const d = span.endTimeUnixNano - span.startTimeUnixNano;
    const durationMs = d > 0n ? Number(d) / 1e6 : 0;
    // Float milliseconds are exact to well under a microsecond: ample for minute-wide buckets.
    const startMs = Number(span.startTimeUnixNano) / 1e6;
    const endMs = startMs + durationMs;
    const isError = span.status.code === 'ERROR';
    const { bucketWidthMs: width, horizonMs, histogramBoundsSeconds } = this.options;
    observeTotals(state.totals, histogramBoundsSeconds, durationMs, isError, span.traceId, span.spanId, endMs);
    const index = Math.floor(startMs / width);
    const start = index * width;
    let bucket = state.last;
    if (bucket === undefined || bucket.startMs !== start) {
      if (start + width <= now - horizonMs || start > now + horizonMs) {
        this.outsideHorizon += 1;
        return true;
      }
      bucket = state.buckets.get(index);
      if (bucket === undefined) {
        if (this.bucketCount >= this.options.maxBuckets) {
          this.bucketLimited += 1;
          return true;
        }
        bucket = newBucket(start, this.options);
        state.buckets.set(index, bucket);
        this.bucketCount += 1;
      }
      state.last = bucket;
    }
    observe(bucket, durationMs, isError, span.traceId, span.spanId, endMs);
    return true;
  }

  private stateFor(service: string, operation: string, model: string, version: string): SeriesState {
    const found = this.series.get(service, operation, model, version);
    if (found !== undefined) return found;
    let key: SeriesKey = { service, operation, model, version };
    // The overflow series does not count towards the limit, so the limit is reached at most once.
    const o = OVERFLOW_SERIES;
    const overflow = this.series.get(o.service, o.operation, o.model, o.version);
    if (this.series.size - (overflow === undefined ? 0 : 1) >= this.options.maxSeries) {
      if (overflow !== undefined) return overflow;
      key = o;
    }
    const totals = newSeriesTotals(this.options.histogramBoundsSeconds);
    const state: SeriesState = { key, totals, buckets: new Map(), last: undefined };
    this.series.set(key.service, key.operation, key.model, key.version, state);
    return state;
  }
}
