import type { Alert } from './alert.js';
import type { AlertStore, Notification } from './alert-store.js';
import { notificationBody } from './notification-bodies.js';
import { deliveryUrl, type Receiver } from './receiver.js';
import type { WebhookSender } from './webhook-sender.js';

/**
 * The notification outbox: what to queue on each state change, and delivery with retries.
 *
 * - firing: one notification per receiver of the rule; resolved: one per receiver that was told
 *   it fired, after superseding its undelivered firing/repeat notifications (a late "firing"
 *   must never arrive after "resolved"); repeat: while firing, once the previous notification to a
 *   receiver was delivered (or given up on) at least its repeat interval ago.
 * - delivery: receivers in parallel, each receiver's notifications in order, a failing receiver
 *   no further in the same round; a retryable failure
 *   is tried again after backoffMs · 2^(attempt−1), capped at maxBackoffMs, up to maxAttempts;
 *   a non-retryable one (a 4xx other than 408/429) is given up at once. Either way the outcome is
 *   kept on the notification (status, attempts, lastError) and shown by the alerts API.
 */
export interface DeliveryOptions {
  maxAttempts: number;
  backoffMs: number;
  maxBackoffMs: number;
  /** Notifications tried per delivery round. */
  batch: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = Object.freeze({
  maxAttempts: 10,
  backoffMs: 1000,
  maxBackoffMs: 300_000,
  batch: 200,
});

export interface DeliveryOutcome {
  delivered: number;
  retrying: number;
  failed: number;
}

export function receiversOf(receivers: readonly Receiver[], names: readonly string[] | undefined): Receiver[] {
  return names === undefined ? [...receivers] : receivers.filter((r) => names.includes(r.name));
}

export function queueFiring(store: AlertStore, alert: Alert, receivers: readonly Receiver[], nowMs: number): void {
  for (const r of receivers)
    store.enqueue({ alertId: alert.id, receiver: r.name, event: 'firing', seq: 0, alert, createdMs: nowMs });
}

export function queueResolved(store: AlertStore, alert: Alert, receivers: readonly Receiver[], nowMs: number): void {
  for (const r of receivers) {
    if (store.lastNotification(alert.id, r.name) === undefined) continue;
    store.supersede(alert.id, r.name, nowMs);
    store.enqueue({ alertId: alert.id, receiver: r.name, event: 'resolved', seq: 0, alert, createdMs: nowMs });
  }
}

export function queueRepeats(store: AlertStore, alert: Alert, receivers: readonly Receiver[], nowMs: number): void {
  for (const r of receivers) {
    const last = store.lastNotification(alert.id, r.name);
    if (last === undefined || last.doneMs === null || (last.status !== 'delivered' && last.status !== 'failed'))
      continue;
    if (nowMs - last.doneMs < r.repeatIntervalMs) continue;
    const seq = last.event === 'repeat' ? last.seq + 1 : 1;
    store.enqueue({ alertId: alert.id, receiver: r.name, event: 'repeat', seq, alert, createdMs: nowMs });
  }
}

export async function deliverDue(
  store: AlertStore,
  receivers: readonly Receiver[],
  send: WebhookSender,
  nowMs: number,
  options: DeliveryOptions,
  externalUrl?: string,
): Promise<DeliveryOutcome> {
  const out: DeliveryOutcome = { delivered: 0, retrying: 0, failed: 0 };
  const byReceiver = new Map<string, Notification[]>();
  for (const n of store.due(nowMs, options.batch)) {
    const list = byReceiver.get(n.receiver) ?? [];
    list.push(n);
    byReceiver.set(n.receiver, list);
  }
  const deliverAll = async (name: string, list: Notification[]): Promise<void> => {
    const receiver = receivers.find((r) => r.name === name);
    for (const n of list) {
      if (receiver === undefined) {
        store.update(n.id, {
          status: 'failed',
          doneMs: nowMs,
          lastError: `receiver "${name}" is no longer configured`,
        });
        out.failed += 1;
        continue;
      }
      const body = notificationBody(n, receiver, nowMs, externalUrl);
      const result = await send(deliveryUrl(receiver), body, receiver.headers, receiver.timeoutMs);
      const attempts = n.attempts + 1;
      if (result.ok) {
        store.update(n.id, { status: 'delivered', attempts, doneMs: nowMs, lastError: null });
        out.delivered += 1;
      } else if (result.retryable && attempts < options.maxAttempts) {
        const wait = Math.min(options.backoffMs * 2 ** (attempts - 1), options.maxBackoffMs);
        store.update(n.id, { attempts, nextAttemptMs: nowMs + wait, lastError: result.error });
        out.retrying += 1;
        return; // a receiver that just failed is not tried again this round
      } else {
        store.update(n.id, { status: 'failed', attempts, doneMs: nowMs, lastError: result.error });
        out.failed += 1;
      }
    }
  };
  await Promise.all([...byReceiver].map(([name, list]) => deliverAll(name, list)));
  return out;
}
