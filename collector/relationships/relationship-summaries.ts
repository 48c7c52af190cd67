import type { SpanRecord } from '../../shared/span-record.js';
import type { RemovalResult } from '../drift/summary-erasure.js';
import { MAX_RETRY_DELTAS } from '../drift/drift-summaries.js';
import { RecentSpanIds } from '../metrics/latency/recent-span-ids.js';
import type { SpanListener } from '../storage/span-listener.js';
import { PairAccumulator, type PairAccumulatorStats, type PairDelta } from './pair-accumulator.js';
import { pairRemovalsOf } from './pair-erasure.js';
import type { RelationshipStore } from './relationship-store.js';

/**
 * The relationship summaries as a SpanListener, built like drift's (drift-summaries.ts): each
 * stored SERVER span updates the in-memory accumulator (no I/O on the ingest path); every flush
 * interval, and on stop, the deltas are merged into the store in one transaction. A failed flush
 * keeps its deltas for the next one; old buckets are deleted after the retention.
 */
export interface RelationshipTiming {
  bucketWidthMs: number;
  flushIntervalMs: number;
  retentionMs: number;
  dedupeCapacity: number;
}

export interface RelationshipSummaryStats extends PairAccumulatorStats {
  flushes: number;
  flushFailures: number;
}

export class RelationshipSummaries implements SpanListener {
  readonly name = 'relationship-summaries';
  private readonly accumulator: PairAccumulator;
  private readonly recent: RecentSpanIds;
  private retry: PairDelta[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextRetentionMs = -Infinity;
  private counters = { flushes: 0, flushFailures: 0 };

  constructor(
    private readonly store: RelationshipStore,
    private readonly timing: RelationshipTiming,
    limits: { maxPairs: number; maxLabels: number },
    private readonly clock: () => number = Date.now,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.accumulator = new PairAccumulator({ bucketWidthMs: timing.bucketWidthMs, ...limits });
    this.recent = new RecentSpanIds(timing.dedupeCapacity);
  }

  onSpans(spans: readonly SpanRecord[]): void {
    for (const span of spans) {
      if (span.kind !== 'SERVER' || !this.recent.add(`${span.traceId}${span.spanId}`)) continue;
      this.accumulator.addSpan(span);
    }
  }

  /** Merges what accumulated into the store now; false when the store failed (deltas kept). */
  flush(): boolean {
    const deltas = [...this.retry, ...this.accumulator.take()];
    this.retry = [];
    try {
      this.store.merge(deltas);
      this.counters.flushes += 1;
    } catch (error) {
      this.counters.flushFailures += 1;
      this.retry = deltas.slice(-MAX_RETRY_DELTAS);
      this.onError(error);
      return false;
    }
    const now = this.clock();
    if (now >= this.nextRetentionMs) {
      this.nextRetentionMs = now + this.timing.bucketWidthMs;
      try {
        this.store.deleteBefore(now - this.timing.retentionMs);
      } catch (error) {
        this.onError(error);
      }
    }
    return true;
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.flush(), this.timing.flushIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /** Erasure: takes these spans' rows back out of the stored summaries (pending ones flushed first). */
  forget(spans: readonly SpanRecord[]): RemovalResult {
    this.flush();
    return this.store.remove(pairRemovalsOf(spans, this.timing.bucketWidthMs));
  }

  stats(): RelationshipSummaryStats {
    return { ...this.accumulator.stats, ...this.counters };
  }
}
