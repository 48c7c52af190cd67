import type { FeedbackKey, FeedbackRecord, PendingFeedback, SliceValue } from './feedback-types.js';

/** Which joined feedback to read: one model, prediction time in [fromMs, toMs). */
export interface FeedbackQuery {
  model: string;
  /** Only this version when given. */
  version?: string;
  fromMs: number;
  toMs: number;
  /** Every pair must equal the record's slice value (compared as text). */
  where?: Readonly<Record<string, string>>;
}

/**
 * Durable ground truth, joined and pending. Owned by the feedback service and the performance
 * queries; one contract suite runs against every implementation (SQLite, memory).
 * - `upsert` is idempotent on (requestId, row): the record written last replaces the earlier one
 *   ("latest label wins", by arrival), and removes any pending entry with the same key.
 * - Pending entries are keyed on (requestId, row ?? -1); `addPending` replaces an entry with the
 *   same key (latest wins) and resets its attempts.
 * - Readers return copies; "not found" is undefined or an empty list.
 */
export interface FeedbackStore {
  upsert(records: readonly FeedbackRecord[]): void;
  /** The joined record, if any; a row of null means row 0. */
  get(key: FeedbackKey): FeedbackRecord | undefined;
  /** Joined records of the query, in prediction-time order. */
  scan(query: FeedbackQuery): Iterable<FeedbackRecord>;

  addPending(items: readonly PendingFeedback[]): void;
  /** Pending entries with nextAttemptMs ≤ nowMs, oldest received first, at most `limit`. */
  duePending(nowMs: number, limit: number): PendingFeedback[];
  /** Records a failed attempt: attempts + 1 and the time of the next one. */
  reschedulePending(key: FeedbackKey, nextAttemptMs: number): void;
  removePending(key: FeedbackKey): void;
  /** Deletes pending entries received before `receivedBeforeMs`; returns how many. */
  expirePending(receivedBeforeMs: number): number;

  /** Erasure of a data subject (`enduser.pseudo.id`): deletes their joined feedback; returns how many. */
  deleteBySubject(subject: string): number;
  counts(): { joined: number; pending: number };
}

export const pendingRow = (row: number | null): number => row ?? -1;

function sliceText(v: SliceValue | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

/** Whether a record meets every `where` pair. */
export function matchesWhere(record: FeedbackRecord, where: FeedbackQuery['where']): boolean {
  if (where === undefined) return true;
  return Object.entries(where).every(([k, v]) => sliceText(record.slices[k]) === v);
}
