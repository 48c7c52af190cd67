import type Database from 'better-sqlite3';
import type { RecordSet, RetentionLimit } from './retention-area.js';
import { batchStep } from './retention-area.js';

/**
 * The one retention policy: every set of captured records (or of what is derived from them) with
 * its limit, pruned by one background pass every `intervalMs` — each set in small transactions,
 * yielding to the event loop between them, so ingest and queries carry on — and reported by
 * status() (GET /api/retention). The spans are the exception that proves the rule: the span store
 * prunes them on its own timer (storage/sqlite/retention.ts, by age and size); their set here
 * only reports.
 */
export interface PolicyEntry {
  set: RecordSet;
  limit: RetentionLimit;
}

export interface PassReport {
  /** Records deleted per set. */
  deleted: Record<string, number>;
  startedAt: string;
  tookMs: number;
}

interface SetStatus {
  name: string;
  table: string;
  rows: number;
  oldest: string | null;
  oldestAgeMs: number | null;
  limit: { maxAgeMs: number; maxBytes?: number };
  /** False when the oldest record is past the age limit by more than the policy allows between passes. */
  withinLimit: boolean;
  [figure: string]: unknown;
}

export interface RetentionStatus {
  intervalMs: number;
  lastPass: PassReport | null;
  sets: SetStatus[];
}

export interface PolicyOptions {
  intervalMs: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export class RetentionPolicy {
  private readonly now: () => number;
  private readonly step;
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private running: Promise<PassReport> | undefined;
  private last: PassReport | null = null;
  private lastFailed = false;

  constructor(
    db: Database.Database,
    private readonly entries: readonly PolicyEntry[],
    private readonly options: PolicyOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.step = batchStep(db);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** One pass now; concurrent calls share the pass under way. */
  runPass(): Promise<PassReport> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  status(): RetentionStatus {
    const now = this.now();
    const sets = this.entries.map(({ set, limit }): SetStatus => {
      const oldest = set.oldest();
      const age = oldest === undefined ? null : Math.max(0, now - oldest);
      // Between passes the oldest may be up to one interval (plus the set's own grace) past its limit.
      const allowance = limit.maxAgeMs + this.options.intervalMs + (set.graceMs ?? 0);
      return {
        name: set.name,
        table: set.table,
        rows: set.rows(),
        oldest: oldest === undefined ? null : new Date(oldest).toISOString(),
        oldestAgeMs: age,
        limit: { maxAgeMs: limit.maxAgeMs, ...(limit.maxBytes ? { maxBytes: limit.maxBytes } : {}) },
        withinLimit: limit.maxAgeMs === 0 || age === null || age <= allowance,
        ...set.extra?.(),
      };
    });
    return { intervalMs: this.options.intervalMs, lastPass: this.last, sets };
  }

  /** For /healthz: when the last pass ran and whether it failed (no query: cheap to ask often). */
  health(): { lastPassAt: string | null; lastPassFailed: boolean } {
    return { lastPassAt: this.last?.startedAt ?? null, lastPassFailed: this.lastFailed };
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runPass().then(
        () => this.schedule(),
        (error: unknown) => {
          this.options.onError?.(error);
          this.schedule();
        },
      );
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private async pass(): Promise<PassReport> {
    const started = this.now();
    const deleted: Record<string, number> = {};
    let failure: unknown;
    for (const { set, limit } of this.entries) {
      try {
        deleted[set.name] = await set.prune(this.now(), limit, this.step);
      } catch (error) {
        // One set failing (a locked or full disk) does not stop the others.
        deleted[set.name] = 0;
        failure ??= error;
      }
    }
    this.last = { deleted, startedAt: new Date(started).toISOString(), tookMs: this.now() - started };
    this.lastFailed = failure !== undefined;
    if (failure !== undefined) throw failure;
    return this.last;
  }
}
