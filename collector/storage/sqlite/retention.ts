import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { Dictionaries } from './dictionaries.js';
import type { KeyIndex } from './key-index/key-index.js';
import type { Statements } from './statements.js';

/**
 * Retention: deletes the oldest spans once they are older than `maxAgeMs` (counted from when the
 * collector stored them) or while the database holds more than `maxBytes` of live pages — in small
 * transactions, yielding to the event loop between them, so ingest and queries carry on meanwhile.
 * It keeps pace with ingest: a pass may delete as many batches as the overshoot needs (estimated
 * from the bytes per span), and while work is left the next pass starts at once instead of after
 * the interval. Freed pages go back to the file system (incremental vacuum, for files created with
 * auto_vacuum=INCREMENTAL, then a passive checkpoint), so the file shrinks to within the limit.
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
  /** Transactions per pass at least; a pass behind its limits takes as many as it needs. */
  maxBatchesPerPass?: number;
}

export interface RetentionReport {
  deletedSpans: number;
  /** Runs of the key index dropped because every span they pointed at is gone. */
  droppedRuns: number;
  /** Live bytes (pages in use × page size) after the pass. */
  usedBytes: number;
  /** Bytes of the database file (without its WAL) after the pass. */
  fileBytes: number;
  /** True when the pass stopped at maxBatchesPerPass with work left over. */
  more: boolean;
}

const ARRIVAL_GRANULE_S = 10;
const MAX_ID = Number.MAX_SAFE_INTEGER;
/** Pages given back per vacuum transaction (16 MiB at 16 KiB pages), so each stays short. */
const VACUUM_PAGES = 1024;

export function usedBytes(st: Statements): number {
  return ((st.pageCount.get() as number) - (st.freelistCount.get() as number)) * (st.pageSize.get() as number);
}

function fileBytes(st: Statements): number {
  return (st.pageCount.get() as number) * (st.pageSize.get() as number);
}

export class Retention {
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
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
    if (!this.enabled || !this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.intervalMs ?? 5_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /**
   * Told after each committed write batch: with a size limit, a pass starts at once when the live
   * pages pass it, instead of at the next tick — at full ingest rate the interval alone lets the
   * file run far past the cap. Costs three PRAGMA reads when under the limit.
   */
  afterCommit(): void {
    const maxBytes = this.options.maxBytes ?? 0;
    if (maxBytes <= 0 || this.stopped || this.running !== undefined) return;
    if (usedBytes(this.st) <= maxBytes) return;
    this.runPass().catch(this.onError);
  }

  /** The next pass after `delayMs`; at once again while a pass ends with work left over. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runPass().then(
        (report) => this.schedule(report.more ? 0 : (this.options.intervalMs ?? 5_000)),
        (error: unknown) => {
          this.onError(error);
          this.schedule(this.options.intervalMs ?? 5_000);
        },
      );
    }, delayMs);
    this.timer.unref();
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
    const minBatches = this.options.maxBatchesPerPass ?? 50;
    let budget = minBatches;
    const report: RetentionReport = { deletedSpans: 0, droppedRuns: 0, usedBytes: 0, fileBytes: 0, more: false };
    // As many batches as `spans` need, on top of the usual allowance (they are yielded between).
    const allow = (spans: number): void => {
      budget = Math.max(budget, Math.ceil(spans / batch) + minBatches);
    };
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
        allow(upTo - ((this.st.minSpanId.get() as number | null) ?? upTo));
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
      allow(this.spansOver(usedBytes(this.st) - target));
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
    if (report.deletedSpans > 0) await this.giveBackPages(step);
    report.usedBytes = usedBytes(this.st);
    report.fileBytes = fileBytes(this.st);
    return report;
  }

  /** About how many spans hold `bytes`, from the live bytes per span now. */
  private spansOver(bytes: number): number {
    if (bytes <= 0) return 0;
    const first = (this.st.minSpanId.get() as number | null) ?? 0;
    const spans = Math.max(1, (this.st.lastSpanId.get() as number) - first + 1);
    return Math.ceil(bytes / Math.max(1, usedBytes(this.st) / spans));
  }

  /**
   * Truncates the file by its free pages (when it was created with auto_vacuum=INCREMENTAL), a
   * bounded number per transaction, then checkpoints passively so the shrink reaches the file now.
   */
  private async giveBackPages(step: (work: () => number) => Promise<number>): Promise<void> {
    if ((this.db.pragma('auto_vacuum', { simple: true }) as number) !== 2) return;
    while ((this.st.freelistCount.get() as number) > 0) {
      const before = this.st.pageCount.get() as number;
      await step(() => {
        this.db.pragma(`incremental_vacuum(${VACUUM_PAGES})`);
        return 0;
      });
      if ((this.st.pageCount.get() as number) >= before) break;
    }
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }
}
