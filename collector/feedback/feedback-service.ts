import type { SpanReader } from '../storage/span-store.js';
import type { FeedbackStore } from './feedback-store.js';
import type { FeedbackItem, FeedbackRecord, PendingFeedback } from './feedback-types.js';
import { DEFAULT_JOIN_OPTIONS, joinPrediction, type JoinOptions, type JoinResult } from './prediction-join.js';

/**
 * Takes feedback in and joins it to predictions (I/O edge: the span reader and the feedback store).
 *
 * Unknown request ids are not dropped: a label may arrive before the sidecar's span export does, or
 * for a request whose span is still in a batch. They are stored as pending, reported back as
 * `unknownRequestIds`, and retried by `retryPending()` (every `retryMs` while started, backing off
 * to `maxBackoffMs`) until they join or are older than `pendingTtlMs`, when they are deleted.
 * A truth for a request already joined whose spans retention has since deleted updates the stored
 * record (its prediction is kept there).
 */
type SpanLookup = Pick<SpanReader, 'findTraceIdsByRequestId' | 'getTrace'>;

export interface PendingOptions {
  retryMs: number;
  maxBackoffMs: number;
  pendingTtlMs: number;
  /** Pending entries tried per retry round. */
  batch: number;
}

export const DEFAULT_PENDING_OPTIONS: PendingOptions = Object.freeze({
  retryMs: 60_000,
  maxBackoffMs: 3_600_000,
  pendingTtlMs: 7 * 86_400_000,
  batch: 1000,
});

interface RejectedFeedback {
  index: number;
  requestId: string;
  code: string;
  message: string;
}

export interface FeedbackOutcome {
  accepted: number;
  joined: number;
  pending: number;
  unknownRequestIds: string[];
  rejected: RejectedFeedback[];
}

export interface RetryOutcome {
  tried: number;
  joined: number;
  stillPending: number;
  rejected: number;
  expired: number;
}

export interface FeedbackServiceDeps {
  spans: SpanLookup;
  store: FeedbackStore;
  join?: Partial<JoinOptions>;
  pending?: Partial<PendingOptions>;
  /** Wall clock in ms; tests pin it. */
  clock?: () => number;
  log?: (message: string) => void;
}

export class FeedbackService {
  readonly store: FeedbackStore;
  readonly pendingOptions: PendingOptions;
  private readonly join: JoinOptions;
  private readonly clock: () => number;
  private timer: NodeJS.Timeout | undefined;
  private retrying: Promise<RetryOutcome> | undefined;

  constructor(private readonly deps: FeedbackServiceDeps) {
    this.store = deps.store;
    this.join = { ...DEFAULT_JOIN_OPTIONS, ...deps.join };
    this.pendingOptions = { ...DEFAULT_PENDING_OPTIONS, ...deps.pending };
    this.clock = deps.clock ?? Date.now;
  }

  /** Joins what can be joined now; stores the rest as pending. Items later in the list win. */
  async submit(items: readonly FeedbackItem[]): Promise<FeedbackOutcome> {
    const now = this.clock();
    const records: FeedbackRecord[] = [];
    const pending: PendingFeedback[] = [];
    const outcome: FeedbackOutcome = { accepted: 0, joined: 0, pending: 0, unknownRequestIds: [], rejected: [] };
    for (const [index, item] of items.entries()) {
      const result = await this.lookup(item);
      if (result.ok) {
        records.push(result.record);
        outcome.joined += 1;
      } else if (result.code === 'unknown_request') {
        pending.push({ ...item, attempts: 0, nextAttemptMs: now + this.pendingOptions.retryMs });
        outcome.pending += 1;
        if (!outcome.unknownRequestIds.includes(item.requestId)) outcome.unknownRequestIds.push(item.requestId);
      } else {
        outcome.rejected.push({ index, requestId: item.requestId, code: result.code, message: result.message });
      }
    }
    outcome.accepted = outcome.joined + outcome.pending;
    this.store.addPending(pending);
    this.store.upsert(records);
    return outcome;
  }

  /** One round of retries of the pending feedback that is due, then expiry of the oldest. */
  async retryPending(): Promise<RetryOutcome> {
    const now = this.clock();
    const o = this.pendingOptions;
    const out: RetryOutcome = { tried: 0, joined: 0, stillPending: 0, rejected: 0, expired: 0 };
    for (const p of this.store.duePending(now, o.batch)) {
      out.tried += 1;
      const result = await this.lookup(p);
      if (result.ok) {
        this.store.upsert([result.record]);
        out.joined += 1;
      } else if (result.code === 'unknown_request') {
        const backoff = Math.min(o.retryMs * 2 ** Math.min(p.attempts + 1, 30), o.maxBackoffMs);
        this.store.reschedulePending(p, now + backoff);
        out.stillPending += 1;
      } else {
        this.store.removePending(p);
        out.rejected += 1;
        this.deps.log?.(`feedback for request "${p.requestId}" cannot be joined and is dropped: ${result.message}`);
      }
    }
    out.expired = this.store.expirePending(now - o.pendingTtlMs);
    if (out.expired > 0) {
      this.deps.log?.(
        `${out.expired} pending feedback item(s) found no prediction within ${o.pendingTtlMs} ms and were deleted`,
      );
    }
    return out;
  }

  /** Retries pending feedback every `retryMs` until stop(); a round never overlaps the previous one. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => {
      if (this.retrying !== undefined) return;
      this.retrying = this.retryPending()
        .catch((error: unknown) => {
          this.deps.log?.(
            `retrying pending feedback failed: ${error instanceof Error ? error.message : String(error)}`,
          );
          return { tried: 0, joined: 0, stillPending: 0, rejected: 0, expired: 0 };
        })
        .finally(() => {
          this.retrying = undefined;
        });
    }, this.pendingOptions.retryMs);
    this.timer.unref();
  }

  /** Stops retrying; resolves once a round in progress has finished. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.retrying;
  }

  private async lookup(item: FeedbackItem): Promise<JoinResult> {
    const traceIds = await this.deps.spans.findTraceIdsByRequestId(item.requestId);
    const traces = [];
    for (const id of traceIds) traces.push(await this.deps.spans.getTrace(id));
    const result = joinPrediction(item, traces, this.join);
    if (result.ok || result.code !== 'unknown_request') return result;
    // The spans may be gone (retention) while the joined record remains: update its truth.
    const known = this.store.get({ requestId: item.requestId, row: item.row });
    if (known === undefined) return result;
    return {
      ok: true,
      record: { ...known, truth: item.truth, feedbackMs: item.feedbackMs, receivedMs: item.receivedMs },
    };
  }
}
