import type { SpanRecord } from '../../shared/span-record.js';
import { isUntimed } from '../../shared/span-record.js';
import { RecentSpanIds } from '../metrics/latency/recent-span-ids.js';
import type { SpanListener } from '../storage/span-listener.js';
import type { SummaryStore } from './drift-store.js';
import type { DriftSettings } from './drift-settings.js';
import { SummaryAccumulator, type AccumulatorStats, type SummaryDelta } from './summary-accumulator.js';
import { removalsOf, type RemovalResult } from './summary-erasure.js';

/**
 * The drift summaries as a SpanListener: each stored SERVER span with captured features updates
 * the in-memory accumulator (cheap: no I/O on the ingest path); every `flushIntervalMs`, and on
 * close, the accumulated deltas are merged into the stored summaries in one transaction. A flush
 * that fails keeps its deltas for the next one (up to MAX_RETRY_DELTAS), so a full disk delays
 * summaries instead of losing them. Old buckets are deleted after `retentionMs`.
 */
export interface DriftSummaryStats extends AccumulatorStats {
  duplicates: number;
  flushes: number;
  flushFailures: number;
  /** Deltas given up after repeated flush failures. */
  droppedDeltas: number;
}

export const MAX_RETRY_DELTAS = 200_000;

export class DriftSummaries implements SpanListener {
  readonly name = 'drift-summaries';
  private readonly accumulator: SummaryAccumulator;
  private readonly recent: RecentSpanIds;
  private retry: SummaryDelta[] = [];
  private timer: NodeJS.Timeout | undefined;
  private nextRetentionMs = -Infinity;
  private counters = { duplicates: 0, flushes: 0, flushFailures: 0, droppedDeltas: 0 };

  constructor(
    private readonly store: SummaryStore,
    readonly settings: DriftSettings,
    private readonly clock: () => number = Date.now,
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.accumulator = new SummaryAccumulator(settings);
    this.recent = new RecentSpanIds(settings.dedupeCapacity);
  }

  onSpans(spans: readonly SpanRecord[]): void {
    for (const span of spans) {
      if (span.kind !== 'SERVER' || isUntimed(span)) continue; // an untimed late half has no window to fall in
      // Cheap test first: most spans of a mixed stream carry no capture at all.
      if (!this.recent.add(`${span.traceId}${span.spanId}`)) {
        this.counters.duplicates += 1;
        continue;
      }
      this.accumulator.addSpan(span);
    }
  }

  /** Knows again the features stored since `sinceMs`, so their absence keeps counting as missing. */
  preload(sinceMs: number): number {
    const known = this.store.features(sinceMs);
    for (const f of known) this.accumulator.know(f.model, f.version, f.feature, f.type);
    return known.length;
  }

  /** Merges what accumulated into the store now; false when the store failed (the deltas are kept). */
  flush(): boolean {
    const deltas = this.retry.length > 0 ? [...this.retry, ...this.accumulator.take()] : this.accumulator.take();
    this.retry = [];
    let ok = true;
    try {
      this.store.merge(deltas);
      this.counters.flushes += 1;
    } catch (error) {
      ok = false;
      this.counters.flushFailures += 1;
      const keep = deltas.slice(-MAX_RETRY_DELTAS);
      this.counters.droppedDeltas += deltas.length - keep.length;
      this.retry = keep;
      this.onError(error);
    }
    const now = this.clock();
    if (ok && now >= this.nextRetentionMs) {
      this.nextRetentionMs = now + this.settings.bucketWidthMs;
      try {
        this.store.deleteBefore(now - this.settings.retentionMs);
      } catch (error) {
        this.onError(error);
      }
    }
    return ok;
  }

  /** Flushes every flushIntervalMs until stop(); the timer never keeps the process alive. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.flush(), this.settings.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and flushes what is left. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }

  /**
   * Erasure: takes these spans' observations back out of the stored summaries (pending ones are
   * flushed first, so everything the spans added is in the store). Call it with a data subject's
   * spans before deleting them, in the same transaction when the caller holds one.
   */
  forget(spans: readonly SpanRecord[]): RemovalResult {
    this.flush();
    const known = new Map<string, Set<string>>();
    const w = this.settings.bucketWidthMs;
    const removals = removalsOf(spans, w, (model, version, bucketMs) => {
      const k = `${model}\u0000${version}\u0000${bucketMs}`;
      let set = known.get(k);
      if (set === undefined) {
        set = new Set(this.store.read({ model, version, fromMs: bucketMs, toMs: bucketMs + w }).map((r) => r.feature));
        known.set(k, set);
      }
      return set;
    });
    return this.store.remove(removals);
  }

  stats(): DriftSummaryStats {
    return { ...this.accumulator.stats, ...this.counters };
  }
}
