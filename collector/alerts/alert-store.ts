import type { Alert, AlertState } from './alert.js';
import type { AlertRule } from './alert-rule.js';

/**
 * Durable alert rules, alerts and the notification outbox, so all three survive a restart.
 * One contract suite runs against every implementation (SQLite, memory). Readers return copies.
 *
 * The outbox deduplicates: `enqueue` is idempotent on (alertId, receiver, event, seq), so each
 * state change of an alert is notified once per receiver however often it is enqueued; repeats
 * while firing get increasing `seq`.
 */
type NotificationEvent = 'firing' | 'resolved' | 'repeat';
type NotificationStatus = 'queued' | 'delivered' | 'failed' | 'superseded';

export interface Notification {
  id: number;
  alertId: string;
  receiver: string;
  event: NotificationEvent;
  seq: number;
  /** The alert as it was when the event happened; the body is built from it. */
  alert: Alert;
  createdMs: number;
  attempts: number;
  nextAttemptMs: number;
  status: NotificationStatus;
  doneMs: number | null;
  lastError: string | null;
}

type NewNotification = Pick<Notification, 'alertId' | 'receiver' | 'event' | 'seq' | 'alert' | 'createdMs'>;

export type NotificationChange = Partial<
  Pick<Notification, 'status' | 'attempts' | 'nextAttemptMs' | 'doneMs' | 'lastError'>
>;

export interface AlertQuery {
  state?: AlertState;
  ruleId?: string;
  limit: number;
}

export interface AlertStore {
  /** Every rule, by id. */
  rules(): AlertRule[];
  /** Adds or replaces the rule with this id. */
  putRule(rule: AlertRule): void;
  /** False when there was no such rule. */
  deleteRule(id: string): boolean;

  /** Pending and firing alerts. */
  activeAlerts(): Alert[];
  /** Adds or replaces the alert with this id. */
  putAlert(alert: Alert): void;
  deleteAlert(id: string): void;
  /** Active alerts first (latest active first), then resolved ones (latest resolved first). */
  listAlerts(query: AlertQuery): Alert[];

  /** Queues a notification, due at once; false (and nothing changes) when it is already known. */
  enqueue(n: NewNotification): boolean;
  /** Queued notifications due by `nowMs`, oldest first. */
  due(nowMs: number, limit: number): Notification[];
  /** The latest notification of the alert to the receiver, whatever its status. */
  lastNotification(alertId: string, receiver: string): Notification | undefined;
  notificationsOf(alertId: string): Notification[];
  update(id: number, change: NotificationChange): void;
  /** Marks the alert's queued firing/repeat notifications to the receiver superseded; returns how many. */
  supersede(alertId: string, receiver: string, nowMs: number): number;
}
