import type Database from 'better-sqlite3';
import type { Alert } from './alert.js';
import type { AlertRule } from './alert-rule.js';
import type { AlertStore, Notification, NotificationChange } from './alert-store.js';

/** AlertStore on the collector's SQLite database (tables from alert-schema.ts, which must have run). */
interface NotificationRow {
  id: number;
  alert_id: string;
  receiver: string;
  event: Notification['event'];
  seq: number;
  alert: string;
  created_ms: number;
  attempts: number;
  next_attempt_ms: number;
  status: Notification['status'];
  done_ms: number | null;
  last_error: string | null;
}

const fromRow = (r: NotificationRow): Notification => ({
  id: r.id,
  alertId: r.alert_id,
  receiver: r.receiver,
  event: r.event,
  seq: r.seq,
  alert: JSON.parse(r.alert) as Alert,
  createdMs: r.created_ms,
  attempts: r.attempts,
  nextAttemptMs: r.next_attempt_ms,
  status: r.status,
  doneMs: r.done_ms,
  lastError: r.last_error,
});

const COLUMNS: Record<keyof NotificationChange, string> = {
  status: 'status',
  attempts: 'attempts',
  nextAttemptMs: 'next_attempt_ms',
  doneMs: 'done_ms',
  lastError: 'last_error',
};

export function createSqliteAlertStore(db: Database.Database): AlertStore {
  // Plain numbers whatever the connection's default: ids and ms times are far below 2^53.
  const prepare = (sql: string): Database.Statement => db.prepare(sql).safeIntegers(false);
  const st = {
    rules: prepare('SELECT body FROM alert_rules ORDER BY id').pluck(),
    putRule: prepare('INSERT OR REPLACE INTO alert_rules (id, origin, body) VALUES (?, ?, ?)'),
    deleteRule: prepare('DELETE FROM alert_rules WHERE id = ?'),
    active: prepare("SELECT body FROM alerts WHERE state IN ('pending', 'firing')").pluck(),
    putAlert: prepare(
      'INSERT OR REPLACE INTO alerts (id, rule_id, state, active_ms, resolved_ms, body) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    deleteAlert: prepare('DELETE FROM alerts WHERE id = ?'),
    list: prepare(`SELECT body FROM alerts WHERE (@state IS NULL OR state = @state) AND (@rule IS NULL OR rule_id = @rule)
      ORDER BY state = 'resolved', CASE WHEN state = 'resolved' THEN resolved_ms ELSE active_ms END DESC, id LIMIT @limit`).pluck(),
    enqueue:
      prepare(`INSERT OR IGNORE INTO alert_notifications (alert_id, receiver, event, seq, alert, created_ms, attempts,
      next_attempt_ms, status) VALUES (?, ?, ?, ?, ?, ?, 0, ?, 'queued')`),
    due: prepare(
      "SELECT * FROM alert_notifications WHERE status = 'queued' AND next_attempt_ms <= ? ORDER BY id LIMIT ?",
    ),
    last: prepare('SELECT * FROM alert_notifications WHERE alert_id = ? AND receiver = ? ORDER BY id DESC LIMIT 1'),
    of: prepare('SELECT * FROM alert_notifications WHERE alert_id = ? ORDER BY id'),
    supersede: prepare(`UPDATE alert_notifications SET status = 'superseded', done_ms = ?
      WHERE alert_id = ? AND receiver = ? AND status = 'queued' AND event != 'resolved'`),
  };
  const updates = new Map<string, Database.Statement>();

  return {
    rules: () => (st.rules.all() as string[]).map((b) => JSON.parse(b) as AlertRule),
    putRule: (rule) => void st.putRule.run(rule.id, rule.origin, JSON.stringify(rule)),
    deleteRule: (id) => st.deleteRule.run(id).changes > 0,

    activeAlerts: () => (st.active.all() as string[]).map((b) => JSON.parse(b) as Alert),
    putAlert: (a) => void st.putAlert.run(a.id, a.ruleId, a.state, a.activeAtMs, a.resolvedAtMs, JSON.stringify(a)),
    deleteAlert: (id) => void st.deleteAlert.run(id),
    listAlerts: (q) =>
      (st.list.all({ state: q.state ?? null, rule: q.ruleId ?? null, limit: q.limit }) as string[]).map(
        (b) => JSON.parse(b) as Alert,
      ),

    enqueue: (n) =>
      st.enqueue.run(n.alertId, n.receiver, n.event, n.seq, JSON.stringify(n.alert), n.createdMs, n.createdMs).changes >
      0,
    due: (nowMs, limit) => (st.due.all(nowMs, limit) as NotificationRow[]).map(fromRow),
    lastNotification(alertId, receiver) {
      const row = st.last.get(alertId, receiver) as NotificationRow | undefined;
      return row === undefined ? undefined : fromRow(row);
    },
    notificationsOf: (alertId) => (st.of.all(alertId) as NotificationRow[]).map(fromRow),
    update(id, change) {
      const keys = (Object.keys(change) as (keyof NotificationChange)[]).filter((k) => change[k] !== undefined).sort();
      if (keys.length === 0) return;
      const sql = `UPDATE alert_notifications SET ${keys.map((k) => `${COLUMNS[k]} = @${k}`).join(', ')} WHERE id = @id`;
      let stmt = updates.get(sql);
      if (stmt === undefined) {
        stmt = prepare(sql);
        updates.set(sql, stmt);
      }
      stmt.run({ ...Object.fromEntries(keys.map((k) => [k, change[k]])), id });
    },
    supersede: (alertId, receiver, nowMs) => st.supersede.run(nowMs, alertId, receiver).changes,
  };
}
