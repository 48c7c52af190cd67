import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { Dictionaries } from './dictionaries.js';
import type { KeyIndex } from './key-index/key-index.js';
import type { Statements } from './statements.js';

/**
 * Retention: deletes the oldest spans once they are older than `maxAgeMs` (counted from when the
 * collector stored them) or while the database holds more than `maxBytes` of live pages — in small
 * transactions, yielding to the event loop between them, so ingest and queries carry on meanwhile.
 * Spans go in arrival order (rowid order: the cheapest delete there is), then the key index's runs
 * that only pointed at deleted spans, then services and models nothing refers to (and the
 * operations of those services).
 */
export interface RetentionOptions {
  /** Keep spans at most this long (0 or absent: no age limit). */
  maxAgeMs?: number;
  /** Keep the live pages of the database under this many bytes (0 or absent: no size limit). */
  maxBytes?: number;
  /** How often the background pass runs. */
  intervalMs?: number;
  /** Spans per delete transaction. */
  batchSpans?: number;
  /** Transactions per pass at most, so one pass stays short. */
  maxBatchesPerPass?: number;
}

export interface RetentionReport {
  deletedSpans: number;
  /** Runs of the key index dropped because every span they pointed at is gone. */
  droppedRuns: number;
  /** Live bytes (pages in use × page size) after the pass. */
  usedBytes: number;
  /** True when the pass stopped at maxBatchesPerPass with work left over. */
  more: boolean;
}

const ARRIVAL_GRANULE_S = 10;
const MAX_ID = Number.MAX_SAFE_INTEGER;

export function usedBytes(st: Statements): number {
  return ((st.pageCount.get() as number) - (st.freelistCount.get() as number)) * (st.pageSize.get() as number);
}

export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<RetentionReport> | undefined;
  /** Spans were deleted and the rows they referred to are not yet cleaned up. */
  private cleanupDue = false;

  constructor(
    private readonly db: Database.Database,
    private readonly st: Statements,
    private readonly dict: Dictionaries,
    private readonly keys: KeyIndex,
    private readonly options: RetentionOptions,
    private readonly now: () => number = Date.now,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  get enabled(): boolean {
    return (this.options.maxAgeMs ?? 0) > 0 || (this.options.maxBytes ?? 0) > 0;
  }

  start(): void {
    if (!this.enabled || this.timer !== undefined) return;
    this.timer = setInterval(() => {
      this.runPass().catch(this.onError);
    }, this.options.intervalMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass; concurrent calls share the pass under way. */
  runPass(): Promise<RetentionReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(): Promise<RetentionReport> {
    const batch = this.options.batchSpans ?? 2_000;
    let budget = this.options.maxBatchesPerPass ?? 50;
    const report: RetentionReport = { deletedSpans: 0, droppedRuns: 0, usedBytes: 0, more: false };
    // Each step is one short transaction; ids the writer memoised may be gone after it, so the
    // memo is dropped before yielding to the event loop (where the next write batch may run).
    const step = async (work: () => number, forget = false): Promise<number> => {
      budget--;
      const n = this.db.transaction(work).immediate();
      if (forget) this.dict.forget();
      await yieldToEventLoop();
      return n;
    };

    const maxAge = this.options.maxAgeMs ?? 0;
    if (maxAge > 0) {
      const cutoffS = Math.floor((this.now() - maxAge) / 1000) - ARRIVAL_GRANULE_S;
      const upTo = this.st.lastArrivalBefore.get(cutoffS) as number | undefined;
      if (upTo !== undefined) {
        let n = batch;
        while (n === batch && budget > 0) {
          n = await step(() => this.st.deleteSpansUpTo.run(upTo, batch).changes);
          report.deletedSpans += n;
        }
        if (n < batch) this.st.deleteArrivalsUpTo.run(upTo);
      }
    }

    const maxBytes = this.options.maxBytes ?? 0;
    if (maxBytes > 0 && usedBytes(this.st) > maxBytes) {
      // Go a little under the limit, so the pass does not rerun at every tick at the edge.
      const target = maxBytes * 0.9;
      while (budget > 0 && usedBytes(this.st) > target) {
        const n = await step(() => this.st.deleteSpansUpTo.run(MAX_ID, batch).changes);
        report.deletedSpans += n;
        if (n === 0) break;
      }
    }

    if (report.deletedSpans > 0) this.cleanupDue = true;
    if (this.cleanupDue && budget > 0) {
      const minLive = (this.st.minSpanId.get() as number | null) ?? (this.st.lastSpanId.get() as number) + 1;
      report.droppedRuns = await this.keys.dropBelow(minLive, step);
      await step(() => {
        this.st.pruneServices.run();
        this.st.pruneOperations.run();
        return this.st.pruneModels.run().changes;
      }, true);
      this.cleanupDue = false;
    }
    report.more = budget <= 0;
    report.usedBytes = usedBytes(this.st);
    return report;
  }
}
