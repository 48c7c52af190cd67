import type { SpanRecord } from '../../shared/span-record.js';
import { StoreFullError } from './span-store.js';

/**
 * The write queue in front of a synchronous store: callers enqueue, a batcher commits many callers'
 * spans in ONE transaction (flushing when enough spans wait, or a few milliseconds after the first
 * arrived), and each caller's promise settles only after its batch committed — or failed.
 * The queue is bounded in spans; beyond it callers get StoreFullError at once, so ingest can answer
 * 429/503 with Retry-After instead of buffering without bound. A write larger than a batch is
 * committed in parts (the store's duplicate check makes a retry after a partial failure safe).
 */
export interface WriteQueueOptions {
  /** Commits every span of every entry in one transaction, or throws (then none is committed). */
  commit(entries: readonly (readonly SpanRecord[])[]): void;
  /** Turns what commit threw into the error callers see. */
  mapError?(error: unknown): unknown;
  /** Spans waiting (not yet committing) beyond which writes are refused. */
  maxQueuedSpans?: number;
  /** A batch closes once it holds at least this many spans. */
  maxBatchSpans?: number;
  /** How long the first waiting span may wait for company before its batch is committed. */
  flushDelayMs?: number;
}

export interface WriteQueueStats {
  queuedSpans: number;
  committedSpans: number;
  committedBatches: number;
  failedBatches: number;
  refusedWrites: number;
  /** Recent commit speed (spans per second), the basis of Retry-After. */
  spansPerSecond: number;
}

export interface WriteQueue {
  enqueue(spans: readonly SpanRecord[]): Promise<void>;
  /** Commits everything waiting, now. */
  drain(): void;
  /** Drains, then refuses further writes with `closedError()`. */
  close(): void;
  stats(): WriteQueueStats;
}

interface Entry {
  spans: readonly SpanRecord[];
  resolve(): void;
  reject(error: unknown): void;
}

export function createWriteQueue(options: WriteQueueOptions, closedError: () => unknown): WriteQueue {
  const maxQueued = options.maxQueuedSpans ?? 100_000;
  const maxBatch = options.maxBatchSpans ?? 2048;
  const delay = options.flushDelayMs ?? 2;
  const mapError = options.mapError ?? ((e: unknown) => e);
  const waiting: Entry[] = [];
  const stats: WriteQueueStats = {
    queuedSpans: 0,
    committedSpans: 0,
    committedBatches: 0,
    failedBatches: 0,
    refusedWrites: 0,
    spansPerSecond: 0,
  };
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  let closed = false;

  const retryAfterSeconds = (): number => {
    const rate = stats.spansPerSecond > 0 ? stats.spansPerSecond : 10_000;
    return Math.min(30, Math.max(1, Math.ceil(stats.queuedSpans / rate)));
  };

  const cancelScheduled = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    if (immediate !== undefined) clearImmediate(immediate);
    timer = undefined;
    immediate = undefined;
  };

  const schedule = (): void => {
    if (waiting.length === 0) return;
    if (stats.queuedSpans >= maxBatch) {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      // setImmediate, not a loop: sockets get their turn between two transactions.
      immediate ??= setImmediate(flushOne);
    } else {
      timer ??= setTimeout(flushOne, delay);
    }
  };

  /** Commits one batch (whole entries, at least one) from the head of the queue. */
  function flushOne(): void {
    cancelScheduled();
    const batch: Entry[] = [];
    let count = 0;
    while (waiting.length > 0 && (batch.length === 0 || count + (waiting[0] as Entry).spans.length <= maxBatch)) {
      const entry = waiting.shift() as Entry;
      batch.push(entry);
      count += entry.spans.length;
    }
    stats.queuedSpans -= count;
    if (batch.length > 0) {
      const started = performance.now();
      try {
        options.commit(batch.map((e) => e.spans));
        stats.committedSpans += count;
        stats.committedBatches += 1;
        const rate = count / Math.max(0.001, (performance.now() - started) / 1000);
        stats.spansPerSecond = stats.spansPerSecond === 0 ? rate : 0.8 * stats.spansPerSecond + 0.2 * rate;
        for (const e of batch) e.resolve();
      } catch (error) {
        stats.failedBatches += 1;
        const mapped = mapError(error);
        for (const e of batch) e.reject(mapped);
      }
    }
    schedule();
  }

  return {
    enqueue(spans) {
      if (closed) return Promise.reject(closedError());
      if (spans.length === 0) return Promise.resolve();
      // One write larger than the whole queue is still taken when the queue is empty.
      if (stats.queuedSpans > 0 && stats.queuedSpans + spans.length > maxQueued) {
        stats.refusedWrites += 1;
        return Promise.reject(new StoreFullError(retryAfterSeconds()));
      }
      return new Promise<void>((resolve, reject) => {
        // A write larger than a batch goes in batch-sized parts, each its own transaction, so one
        // large request does not hold the event loop in one long commit; it settles once all did.
        let parts = Math.ceil(spans.length / maxBatch);
        let failed = false;
        for (let i = 0; i < spans.length; i += maxBatch) {
          waiting.push({
            spans: spans.length <= maxBatch ? spans : spans.slice(i, i + maxBatch),
            resolve: () => {
              if (--parts === 0 && !failed) resolve();
            },
            reject: (error) => {
              if (failed) return;
              failed = true;
              reject(error);
            },
          });
        }
        stats.queuedSpans += spans.length;
        schedule();
      });
    },
    drain() {
      while (waiting.length > 0) flushOne();
      cancelScheduled();
    },
    close() {
      this.drain();
      closed = true;
    },
    stats: () => ({ ...stats }),
  };
}
