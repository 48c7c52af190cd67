import type Database from 'better-sqlite3';
import type { RecordSet } from '../../retention/retention-area.js';

/**
 * The spans as the retention policy sees them: reported only — the span store prunes them on its
 * own timer, by age and by size (retention.ts), so prune() here deletes nothing. The oldest span's
 * time is when it was stored (the arrivals table, to the second), as the age limit counts it; the
 * row count is the span of live ids (exact unless erasure deleted spans in between), so the status
 * never scans the table.
 */
export function spanRecordSet(db: Database.Database): RecordSet {
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    minId: prepare('SELECT min(id) FROM spans').pluck(),
    maxId: prepare('SELECT max(id) FROM spans').pluck(),
    storedAt: prepare('SELECT min(stored_s) FROM arrivals WHERE max_id >= ?').pluck(),
  };
  return {
    name: 'spans',
    table: 'spans',
    // Arrivals are recorded to 10 s granules, and the span store's pass runs every few seconds.
    graceMs: 20_000,
    prune: () => Promise.resolve(0),
    oldest() {
      const min = st.minId.get() as number | null;
      if (min === null) return undefined;
      const s = st.storedAt.get(min) as number | null;
      return s === null ? undefined : s * 1000;
    },
    rows() {
      const min = st.minId.get() as number | null;
      return min === null ? 0 : (st.maxId.get() as number) - min + 1;
    },
  };
}
