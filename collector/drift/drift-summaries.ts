import type { SpanRecord } from '../../shared/span-record.js';
import { isUntimed } from '../../shared/span-record.js';
import { RecentSpanIds } from '../metrics/latency/recent-span-ids.js';
import type { SpanListener } from '../storage/span-listener.js';
import type { SummaryStore } from './drift-store.js';
import type { DriftSettings } from './drift-settings.js';
import { SummaryAccumulator, type AccumulatorStats, type SummaryDelta } from './summary-accumulator.js';
import { removalsOf, type RemovalResult } from './summary-erasure.js';
import { DeltaFlusher, type FlushCounters } from './delta-flusher.js';

/**
 * The drift summaries as a SpanListener: each stored SERVER span with captured features updates
 * the in-memory accumulator (cheap: no I/O on the ingest path); every `flushIntervalMs`, and on
 * close, the accumulated deltas are merged into the stored summaries (delta-flusher.ts). Old
 * buckets are deleted by the retention policy (summary-retention.ts).
 */
export interface DriftSummaryStats extends AccumulatorStats, FlushCounters {
  duplicates: number;
}

export class DriftSummaries implements SpanListener {
  readonly name = 'drift-summaries';
  private readonly accumulator: SummaryAccumulator;
  private readonly recent: RecentSpanIds;
  private readonly flusher: DeltaFlusher<SummaryDelta>;
  private duplicates = 0;

  constructor(
    private readonly store: SummaryStore,
    readonly settings: DriftSettings,
    onError: (error: unknown) => void = () => {},
  ) {
    this.accumulator = new SummaryAccumulator(settings);
    this.recent = new RecentSpanIds(settings.dedupeCapacity);
    this.flusher = new DeltaFlusher(
      () => this.accumulator.take(),
      (deltas) => store.merge(deltas),
      settings.flushIntervalMs,
      onError,
    );
  }

  onSpans(spans: readonly SpanRecord[]): void {
    for (const span of spans) {
      if (span.kind !== 'SERVER' || isUntimed(span)) continue; // an untimed late half has no window to fall in
      // Cheap test first: most spans of a mixed stream carry no capture at all.
      if (!this.recent.add(`${span.traceId}${span.spanId}`)) {
        this.duplicates += 1;
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
    return this.flusher.flush();
  }

  /** Flushes every flushIntervalMs until stop(); the timer never keeps the process alive. */
  start(): void {
    this.flusher.start();
  }

  /** Stops the timer and flushes what is left. */
  stop(): void {
    this.flusher.stop();
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
    return { ...this.accumulator.stats, ...this.flusher.counters, duplicates: this.duplicates };
  }
}
