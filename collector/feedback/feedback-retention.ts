import type Database from 'better-sqlite3';
import type { RecordSet } from '../retention/retention-area.js';
import { BATCH_ROWS, cutoffOf, deleteInBatches } from '../retention/retention-area.js';

/**
 * Retention of the feedback tables: joined feedback by its prediction's time (it copies the
 * prediction and the span's scalar attributes), pending feedback by when it was received (the
 * feedback service also expires it after --feedback-pending-ttl; the policy reports it).
 */
function timedSet(db: Database.Database, name: string, table: string, column: string, key: string): RecordSet {
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    deleteBatch: prepare(
      `DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE ${column} < ? ORDER BY ${column} LIMIT ${BATCH_ROWS})`,
    ),
    oldest: prepare(`SELECT min(${column}) FROM ${table}`).pluck(),
    rows: prepare(`SELECT count(*) FROM ${table}`).pluck(),
  };
  return {
    name,
    table,
    async prune(nowMs, limit, step) {
      const cutoff = cutoffOf(nowMs, limit);
      if (cutoff === undefined) return 0;
      return deleteInBatches(step, () => st.deleteBatch.run(cutoff).changes);
    },
    oldest: () => (st.oldest.get() as number | null) ?? undefined,
    rows: () => st.rows.get() as number,
  };
}

export function feedbackRecordSets(db: Database.Database): { joined: RecordSet; pending: RecordSet } {
  return {
    joined: timedSet(db, 'feedback', 'feedback', 'prediction_ms', 'request_id, row'),
    pending: timedSet(db, 'feedback_pending', 'feedback_pending', 'received_ms', 'request_id, row'),
  };
}
