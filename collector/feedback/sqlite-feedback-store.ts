import type Database from 'better-sqlite3';
import type { FeedbackQuery, FeedbackStore } from './feedback-store.js';
import { matchesWhere, pendingRow } from './feedback-store.js';
import type { ClassLabel, FeedbackKey, FeedbackRecord, PendingFeedback, Truth } from './feedback-types.js';

/**
 * FeedbackStore on the collector's SQLite database (tables from feedback-schema.ts, which must
 * have run). Statements are prepared once; each call is one transaction.
 */
interface FeedbackRow {
  request_id: string;
  row: number;
  model: string;
  version: string;
  trace_id: string;
  span_id: string;
  subject: string | null;
  output: string;
  prediction: string | null;
  label: string | null;
  value: number | null;
  prediction_ms: number;
  feedback_ms: number;
  received_ms: number;
  slices: string;
}

interface PendingRow {
  request_id: string;
  row: number;
  label: string | null;
  value: number | null;
  feedback_ms: number;
  received_ms: number;
  attempts: number;
  next_attempt_ms: number;
}

const truthOf = (label: string | null, value: number | null): Truth =>
  label !== null
    ? { kind: 'label', label: JSON.parse(label) as ClassLabel }
    : { kind: 'value', value: value ?? Number.NaN };

const truthColumns = (t: Truth): { label: string | null; value: number | null } =>
  t.kind === 'label' ? { label: JSON.stringify(t.label), value: null } : { label: null, value: t.value };

function fromRow(r: FeedbackRow): FeedbackRecord {
  return {
    requestId: r.request_id,
    row: r.row,
    model: r.model,
    version: r.version,
    traceId: r.trace_id,
    spanId: r.span_id,
    subject: r.subject,
    output: r.output,
    prediction: r.prediction === null ? null : (JSON.parse(r.prediction) as FeedbackRecord['prediction']),
    truth: truthOf(r.label, r.value),
    predictionMs: r.prediction_ms,
    feedbackMs: r.feedback_ms,
    receivedMs: r.received_ms,
    slices: JSON.parse(r.slices) as FeedbackRecord['slices'],
  };
}

function fromPendingRow(r: PendingRow): PendingFeedback {
  return {
    requestId: r.request_id,
    row: r.row < 0 ? null : r.row,
    truth: truthOf(r.label, r.value),
    feedbackMs: r.feedback_ms,
    receivedMs: r.received_ms,
    attempts: r.attempts,
    nextAttemptMs: r.next_attempt_ms,
  };
}

export function createSqliteFeedbackStore(db: Database.Database): FeedbackStore {
  // Plain numbers whatever the connection's default: times in ms and rows are far below 2^53.
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    upsert:
      prepare(`INSERT OR REPLACE INTO feedback (request_id, row, model, version, trace_id, span_id, subject, output,
      prediction, label, value, prediction_ms, feedback_ms, received_ms, slices)
      VALUES (@request_id, @row, @model, @version, @trace_id, @span_id, @subject, @output, @prediction, @label, @value,
      @prediction_ms, @feedback_ms, @received_ms, @slices)`),
    dropPending: prepare('DELETE FROM feedback_pending WHERE request_id = ? AND row = ?'),
    get: prepare('SELECT * FROM feedback WHERE request_id = ? AND row = ?'),
    scan: prepare(
      'SELECT * FROM feedback WHERE model = ? AND prediction_ms >= ? AND prediction_ms < ? ORDER BY prediction_ms',
    ),
    scanVersion: prepare(
      'SELECT * FROM feedback WHERE model = ? AND prediction_ms >= ? AND prediction_ms < ? AND version = ? ORDER BY prediction_ms',
    ),
    addPending:
      prepare(`INSERT OR REPLACE INTO feedback_pending (request_id, row, label, value, feedback_ms, received_ms,
      attempts, next_attempt_ms) VALUES (@request_id, @row, @label, @value, @feedback_ms, @received_ms, @attempts, @next_attempt_ms)`),
    due: prepare('SELECT * FROM feedback_pending WHERE next_attempt_ms <= ? ORDER BY received_ms LIMIT ?'),
    reschedule: prepare(
      'UPDATE feedback_pending SET attempts = attempts + 1, next_attempt_ms = ? WHERE request_id = ? AND row = ?',
    ),
    expire: prepare('DELETE FROM feedback_pending WHERE received_ms < ?'),
    bySubject: prepare('DELETE FROM feedback WHERE subject = ?'),
    countJoined: prepare('SELECT count(*) AS n FROM feedback').pluck(),
    countPending: prepare('SELECT count(*) AS n FROM feedback_pending').pluck(),
  };

  const upsertAll = db.transaction((records: readonly FeedbackRecord[]) => {
    for (const r of records) {
      st.upsert.run({
        request_id: r.requestId,
        row: r.row,
        model: r.model,
        version: r.version,
        trace_id: r.traceId,
        span_id: r.spanId,
        subject: r.subject,
        output: r.output,
        prediction: r.prediction === null ? null : JSON.stringify(r.prediction),
        ...truthColumns(r.truth),
        prediction_ms: r.predictionMs,
        feedback_ms: r.feedbackMs,
        received_ms: r.receivedMs,
        slices: JSON.stringify(r.slices),
      });
      st.dropPending.run(r.requestId, r.row);
      if (r.row === 0) st.dropPending.run(r.requestId, -1);
    }
  });

  const addAll = db.transaction((items: readonly PendingFeedback[]) => {
    for (const p of items) {
      st.addPending.run({
        request_id: p.requestId,
        row: pendingRow(p.row),
        ...truthColumns(p.truth),
        feedback_ms: p.feedbackMs,
        received_ms: p.receivedMs,
        attempts: p.attempts,
        next_attempt_ms: p.nextAttemptMs,
      });
    }
  });

  return {
    upsert: (records) => upsertAll(records),
    get(key: FeedbackKey) {
      const r = st.get.get(key.requestId, key.row ?? 0) as FeedbackRow | undefined;
      return r === undefined ? undefined : fromRow(r);
    },
    *scan(q: FeedbackQuery) {
      const rows = (
        q.version === undefined
          ? st.scan.iterate(q.model, q.fromMs, q.toMs)
          : st.scanVersion.iterate(q.model, q.fromMs, q.toMs, q.version)
      ) as IterableIterator<FeedbackRow>;
      for (const row of rows) {
        const record = fromRow(row);
        if (matchesWhere(record, q.where)) yield record;
      }
    },
    addPending: (items) => addAll(items),
    duePending: (nowMs, limit) => (st.due.all(nowMs, limit) as PendingRow[]).map(fromPendingRow),
    reschedulePending(key, nextAttemptMs) {
      st.reschedule.run(nextAttemptMs, key.requestId, pendingRow(key.row));
    },
    removePending(key) {
      st.dropPending.run(key.requestId, pendingRow(key.row));
    },
    expirePending: (before) => st.expire.run(before).changes,
    deleteBySubject: (subject) => st.bySubject.run(subject).changes,
    counts: () => ({ joined: Number(st.countJoined.get()), pending: Number(st.countPending.get()) }),
  };
}
