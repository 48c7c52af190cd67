/**
 * The flush shared by the drift and relationship summaries: every `intervalMs` (and on stop) the
 * deltas accumulated in memory are merged into the store in one call. A merge that fails keeps
 * its deltas for the next one (the newest MAX_RETRY_DELTAS of them), so a full disk delays the
 * summaries instead of losing them. The timer never keeps the process alive.
 */
const MAX_RETRY_DELTAS = 200_000;

export interface FlushCounters {
  flushes: number;
  flushFailures: number;
  /** Deltas given up after repeated flush failures. */
  droppedDeltas: number;
}

export class DeltaFlusher<D> {
  private retry: D[] = [];
  private timer: NodeJS.Timeout | undefined;
  readonly counters: FlushCounters = { flushes: 0, flushFailures: 0, droppedDeltas: 0 };

  constructor(
    private readonly take: () => D[],
    private readonly merge: (deltas: readonly D[]) => void,
    private readonly intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Merges what accumulated into the store now; false when the store failed (the deltas are kept). */
  flush(): boolean {
    const fresh = this.take();
    const deltas = this.retry.length > 0 ? [...this.retry, ...fresh] : fresh;
    this.retry = [];
    try {
      this.merge(deltas);
      this.counters.flushes += 1;
      return true;
    } catch (error) {
      this.counters.flushFailures += 1;
      const keep = deltas.slice(-MAX_RETRY_DELTAS);
      this.counters.droppedDeltas += deltas.length - keep.length;
      this.retry = keep;
      this.onError(error);
      return false;
    }
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.flush(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and flushes what is left. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
