import type Database from 'better-sqlite3';
import type { RecordSet } from '../../retention/retention-area.js';
import { BATCH_ROWS, cutoffOf } from '../../retention/retention-area.js';

/**
 * Retention of references (uploaded training profiles with their raw values, and pinned windows):
 * a reference goes `--reference-retention` after its upload unless it is marked `keep` (at upload
 * with `?keep=true`, or later with PATCH …/reference {"keep": true}), which a training profile
 * meant to stay the baseline should be. Its features go with it.
 */
export function referenceRecordSet(db: Database.Database): RecordSet {
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    expired: prepare(
      `SELECT model, version FROM drift_references WHERE keep = 0 AND created_ms < ? ORDER BY created_ms LIMIT ${BATCH_ROWS}`,
    ),
    dropFeatures: prepare('DELETE FROM drift_reference_features WHERE model = ? AND version = ?'),
    dropRef: prepare('DELETE FROM drift_references WHERE model = ? AND version = ?'),
    oldest: prepare('SELECT min(created_ms) FROM drift_references WHERE keep = 0').pluck(),
    rows: prepare('SELECT count(*) FROM drift_references').pluck(),
    kept: prepare('SELECT count(*) FROM drift_references WHERE keep = 1').pluck(),
  };
  return {
    name: 'drift_references',
    table: 'drift_references',
    async prune(nowMs, limit, step) {
      const cutoff = cutoffOf(nowMs, limit);
      if (cutoff === undefined) return 0;
      let total = 0;
      let n = BATCH_ROWS;
      while (n === BATCH_ROWS) {
        n = await step(() => {
          const refs = st.expired.all(cutoff) as { model: string; version: string }[];
          for (const r of refs) {
            st.dropFeatures.run(r.model, r.version);
            st.dropRef.run(r.model, r.version);
          }
          return refs.length;
        });
        total += n;
      }
      return total;
    },
    oldest: () => (st.oldest.get() as number | null) ?? undefined,
    rows: () => st.rows.get() as number,
    extra: () => ({ kept: st.kept.get() as number }),
  };
}
