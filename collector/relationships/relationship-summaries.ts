import type { SpanRecord } from '../../shared/span-record.js';
import type { RemovalResult } from '../drift/summary-erasure.js';
import { DeltaFlusher, type FlushCounters } from '../drift/delta-flusher.js';
import { RecentSpanIds } from '../metrics/latency/recent-span-ids.js';
import type { SpanListener } from '../storage/span-listener.js';
import { PairAccumulator, type PairAccumulatorStats, type PairDelta } from './pair-accumulator.js';
import { pairRemovalsOf } from './pair-erasure.js';
import type { RelationshipStore } from './relationship-store.js';

/**
 * The relationship summaries as a SpanListener, built like drift's (drift-summaries.ts): each
 * stored SERVER span updates the in-memory accumulator (no I/O on the ingest path); every flush
 * interval, and on stop, the deltas are merged into the store (drift/delta-flusher.ts). Old
 * buckets are deleted by the retention policy (drift/summary-retention.ts).
 */
export interface RelationshipTiming {
  bucketWidthMs: number;
  flushIntervalMs: number;
  dedupeCapacity: number;
}

export interface RelationshipSummaryStats extends PairAccumulatorStats, FlushCounters {}

export class RelationshipSummaries implements SpanListener {
  readonly name = 'relationship-summaries';
  private readonly accumulator: PairAccumulator;
  private readonly recent: RecentSpanIds;
  private readonly flusher: DeltaFlusher<PairDelta>;

  constructor(
    private readonly store: RelationshipStore,
    private readonly timing: RelationshipTiming,
    limits: { maxPairs: number; maxLabels: number },
    onError: (error: unknown) => void = () => {},
  ) {
    this.accumulator = new PairAccumulator({ bucketWidthMs: timing.bucketWidthMs, ...limits });
    this.recent = new RecentSpanIds(timing.dedupeCapacity);
    this.flusher = new DeltaFlusher(
      () => this.accumulator.take(),
      (deltas) => store.merge(deltas),
      timing.flushIntervalMs,
      onError,
    );
  }

  onSpans(spans: readonly SpanRecord[]): void {
    for (const span of spans) {
      if (span.kind !== 'SERVER' || !this.recent.add(`${span.traceId}${span.spanId}`)) continue;
      this.accumulator.addSpan(span);
    }
  }

  /** Merges what accumulated into the store now; false when the store failed (deltas kept). */
  flush(): boolean {
    return this.flusher.flush();
  }

  start(): void {
    this.flusher.start();
  }

  stop(): void {
    this.flusher.stop();
  }

  /** Erasure: takes these spans' rows back out of the stored summaries (pending ones flushed first). */
  forget(spans: readonly SpanRecord[]): RemovalResult {
    this.flush();
    return this.store.remove(pairRemovalsOf(spans, this.timing.bucketWidthMs));
  }

  stats(): RelationshipSummaryStats {
    return { ...this.accumulator.stats, ...this.flusher.counters };
  }
}
