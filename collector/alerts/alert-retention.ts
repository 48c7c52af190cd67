import type Database from 'better-sqlite3';
import type { RecordSet } from '../retention/retention-area.js';
import { BATCH_ROWS, cutoffOf, deleteInBatches } from '../retention/retention-area.js';

/**
 * Retention of the alert tables. Resolved alerts go some time after they resolved; alerts still
 * pending or firing go some (longer) time after they became active — if the condition still holds,
 * the engine starts a new alert at its next evaluation, so a stuck alert cannot keep its history
 * forever; finished notifications (which copy the alert) go with the resolved limit.
 */
export function alertRecordSets(db: Database.Database): {
  resolved: RecordSet;
  firing: RecordSet;
  notifications: RecordSet;
} {
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    deleteResolved: prepare(
      `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE state = 'resolved' AND resolved_ms < ? LIMIT ${BATCH_ROWS})`,
    ),
    oldestResolved: prepare("SELECT min(resolved_ms) FROM alerts WHERE state = 'resolved'").pluck(),
    resolvedRows: prepare("SELECT count(*) FROM alerts WHERE state = 'resolved'").pluck(),
    deleteActive: prepare(
      `DELETE FROM alerts WHERE id IN (SELECT id FROM alerts WHERE state IN ('pending', 'firing') AND active_ms < ? LIMIT ${BATCH_ROWS})`,
    ),
    oldestActive: prepare("SELECT min(active_ms) FROM alerts WHERE state IN ('pending', 'firing')").pluck(),
    activeRows: prepare("SELECT count(*) FROM alerts WHERE state IN ('pending', 'firing')").pluck(),
    deleteNotifications: prepare(
      `DELETE FROM alert_notifications WHERE id IN (SELECT id FROM alert_notifications WHERE status != 'queued' AND done_ms < ? LIMIT ${BATCH_ROWS})`,
    ),
    oldestNotification: prepare("SELECT min(done_ms) FROM alert_notifications WHERE status != 'queued'").pluck(),
    notificationRows: prepare('SELECT count(*) FROM alert_notifications').pluck(),
  };
  const set = (
    name: string,
    table: string,
    del: Database.Statement,
    oldest: Database.Statement,
    rows: Database.Statement,
  ): RecordSet => ({
    name,
    table,
    async prune(nowMs, limit, step) {
      const cutoff = cutoffOf(nowMs, limit);
      if (cutoff === undefined) return 0;
      return deleteInBatches(step, () => del.run(cutoff).changes);
    },
    oldest: () => (oldest.get() as number | null) ?? undefined,
    rows: () => rows.get() as number,
  });
  return {
    resolved: set('alerts.resolved', 'alerts', st.deleteResolved, st.oldestResolved, st.resolvedRows),
    firing: set('alerts.firing', 'alerts', st.deleteActive, st.oldestActive, st.activeRows),
    notifications: set(
      'alert_notifications',
      'alert_notifications',
      st.deleteNotifications,
      st.oldestNotification,
      st.notificationRows,
    ),
  };
}
