import type { FeedbackQuery, FeedbackStore } from './feedback-store.js';
import { matchesWhere, pendingRow } from './feedback-store.js';
import type { FeedbackKey, FeedbackRecord, PendingFeedback } from './feedback-types.js';

/** An in-memory FeedbackStore, for tests and for a collector run without a database file. */
export function createMemoryFeedbackStore(): FeedbackStore {
  const joined = new Map<string, FeedbackRecord>();
  const pending = new Map<string, PendingFeedback>();
  const joinedKey = (requestId: string, row: number | null): string => `${row ?? 0}\u0000${requestId}`;
  const pendingKey = (requestId: string, row: number | null): string => `${pendingRow(row)}\u0000${requestId}`;

  return {
    upsert(records) {
      for (const r of records) {
        joined.set(joinedKey(r.requestId, r.row), structuredClone(r));
        pending.delete(pendingKey(r.requestId, r.row));
        if (r.row === 0) pending.delete(pendingKey(r.requestId, null));
      }
    },
    get(key: FeedbackKey) {
      const r = joined.get(joinedKey(key.requestId, key.row));
      return r === undefined ? undefined : structuredClone(r);
    },
    scan(q: FeedbackQuery) {
      return [...joined.values()]
        .filter((r) => r.model === q.model && (q.version === undefined || r.version === q.version))
        .filter((r) => r.predictionMs >= q.fromMs && r.predictionMs < q.toMs && matchesWhere(r, q.where))
        .sort((a, b) => a.predictionMs - b.predictionMs)
        .map((r) => structuredClone(r));
    },
    addPending(items) {
      for (const p of items) pending.set(pendingKey(p.requestId, p.row), structuredClone(p));
    },
    duePending(nowMs, limit) {
      return [...pending.values()]
        .filter((p) => p.nextAttemptMs <= nowMs)
        .sort((a, b) => a.receivedMs - b.receivedMs)
        .slice(0, limit)
        .map((p) => structuredClone(p));
    },
    reschedulePending(key, nextAttemptMs) {
      const p = pending.get(pendingKey(key.requestId, key.row));
      if (p !== undefined) {
        p.attempts += 1;
        p.nextAttemptMs = nextAttemptMs;
      }
    },
    removePending(key) {
      pending.delete(pendingKey(key.requestId, key.row));
    },
    expirePending(receivedBeforeMs) {
      let n = 0;
      for (const [k, p] of pending) {
        if (p.receivedMs < receivedBeforeMs) {
          pending.delete(k);
          n += 1;
        }
      }
      return n;
    },
    deleteBySubject(subject) {
      let n = 0;
      for (const [k, r] of joined) {
        if (r.subject === subject) {
          joined.delete(k);
          n += 1;
        }
      }
      return n;
    },
    counts: () => ({ joined: joined.size, pending: pending.size }),
  };
}
