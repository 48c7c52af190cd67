import type { Alert } from './alert.js';
import type { AlertRule } from './alert-rule.js';
import { compareListed, type AlertStore, type Notification } from './alert-store.js';

/** An in-memory AlertStore, for tests and for a collector run without a database file. */
export function createMemoryAlertStore(): AlertStore {
  const rules = new Map<string, AlertRule>();
  const alerts = new Map<string, Alert>();
  const outbox: Notification[] = [];
  let nextId = 1;
  const copy = <T>(x: T): T => structuredClone(x);

  return {
    rules: () => [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(copy),
    putRule: (rule) => void rules.set(rule.id, copy(rule)),
    deleteRule: (id) => rules.delete(id),

    activeAlerts: () => [...alerts.values()].filter((a) => a.state !== 'resolved').map(copy),
    putAlert: (alert) => void alerts.set(alert.id, copy(alert)),
    deleteAlert: (id) => void alerts.delete(id),
    listAlerts: (q) =>
      [...alerts.values()]
        .filter((a) => (q.state === undefined || a.state === q.state) && (q.ruleId === undefined || a.ruleId === q.ruleId))
        .sort(compareListed)
        .slice(0, q.limit)
        .map(copy),
    pruneResolved(beforeMs) {
      let n = 0;
      for (const [id, a] of alerts) {
        if (a.state === 'resolved' && (a.resolvedAtMs ?? 0) < beforeMs) {
          alerts.delete(id);
          n += 1;
        }
      }
      return n;
    },

    enqueue(n) {
      const known = outbox.some((x) => x.alertId === n.alertId && x.receiver === n.receiver && x.event === n.event && x.seq === n.seq);
      if (known) return false;
      outbox.push({ ...copy(n), id: nextId++, attempts: 0, nextAttemptMs: n.createdMs, status: 'queued', doneMs: null, lastError: null });
      return true;
    },
    due: (nowMs, limit) => outbox.filter((x) => x.status === 'queued' && x.nextAttemptMs <= nowMs).slice(0, limit).map(copy),
    lastNotification(alertId, receiver) {
      const mine = outbox.filter((x) => x.alertId === alertId && x.receiver === receiver);
      const last = mine[mine.length - 1];
      return last === undefined ? undefined : copy(last);
    },
    notificationsOf: (alertId) => outbox.filter((x) => x.alertId === alertId).map(copy),
    update(id, change) {
      const x = outbox.find((n) => n.id === id);
      if (x !== undefined) Object.assign(x, change);
    },
    supersede(alertId, receiver, nowMs) {
      let n = 0;
      for (const x of outbox) {
        if (x.alertId === alertId && x.receiver === receiver && x.status === 'queued' && x.event !== 'resolved') {
          Object.assign(x, { status: 'superseded', doneMs: nowMs });
          n += 1;
        }
      }
      return n;
    },
    pruneNotifications(beforeMs) {
      const keep = outbox.filter((x) => x.status === 'queued' || (x.doneMs ?? 0) >= beforeMs);
      const n = outbox.length - keep.length;
      outbox.splice(0, outbox.length, ...keep);
      return n;
    },
  };
}
