import type Database from 'better-sqlite3';
import type { RecordSet } from '../retention/retention-area.js';
import { BATCH_ROWS, cutoffOf, deleteInBatches } from '../retention/retention-area.js';

/**
 * Retention of time-bucketed summaries (drift_summaries, and relationship_summaries, which share
 * drift's buckets and `--drift-retention`): a bucket goes once it ENDS before the cutoff, so the
 * oldest bucket's start may be up to one bucket width past the limit (the set's grace).
 */
const PRIMARY_KEYS = {
  drift_summaries: 'model, version, bucket_ms, feature',
  relationship_summaries: 'model, version, bucket_ms, input, output',
} as const;

export function bucketedSummarySet(
  db: Database.Database,
  table: keyof typeof PRIMARY_KEYS,
  bucketWidthMs: number,
): RecordSet {
  const key = PRIMARY_KEYS[table];
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    deleteBatch: prepare(
      `DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE bucket_ms < ? AND bucket_ms + width_ms <= ? ORDER BY bucket_ms LIMIT ${BATCH_ROWS})`,
    ),
    oldest: prepare(`SELECT min(bucket_ms) FROM ${table}`).pluck(),
    rows: prepare(`SELECT count(*) FROM ${table}`).pluck(),
  };
  return {
    name: table,
    table,
    graceMs: bucketWidthMs,
    async prune(nowMs, limit, step) {
      const cutoff = cutoffOf(nowMs, limit);
      if (cutoff === undefined) return 0;
      return deleteInBatches(step, () => st.deleteBatch.run(cutoff, cutoff).changes);
    },
    oldest: () => (st.oldest.get() as number | null) ?? undefined,
    rows: () => st.rows.get() as number,
  };
}
