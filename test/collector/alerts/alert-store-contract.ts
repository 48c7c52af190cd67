import { describe, expect, it } from 'vitest';
import type { AlertStore } from '../../../collector/alerts/alert-store.js';
import { makeAlert, makeRule } from './alert-fixtures.js';

/** The AlertStore contract, run against every implementation. `open` gives a fresh, empty store. */
export function alertStoreContract(name: string, open: () => { store: AlertStore; close?: () => void }): void {
  describe(`AlertStore contract: ${name}`, () => {
    const withStore = (test: (store: AlertStore) => void) => () => {
      const { store, close } = open();
      try {
        test(store);
      } finally {
        close?.();
      }
    };

    it(
      'keeps rules by id, replacing and deleting',
      withStore((s) => {
        s.putRule(makeRule({ id: 'b' }));
        s.putRule(makeRule({ id: 'a', origin: 'file', slice: { x: 'y' }, receivers: ['ops'] }));
        s.putRule(makeRule({ id: 'b', threshold: 0.5 }));
        expect(s.rules()).toEqual([
          makeRule({ id: 'a', origin: 'file', slice: { x: 'y' }, receivers: ['ops'] }),
          makeRule({ id: 'b', threshold: 0.5 }),
        ]);
        expect([s.deleteRule('a'), s.deleteRule('a')]).toEqual([true, false]);
        expect(s.rules().map((r) => r.id)).toEqual(['b']);
      }),
    );

    it(
      'lists active alerts first, latest first, then resolved ones, and filters',
      withStore((s) => {
        const alerts = [
          makeAlert({ id: 'r1@1', ruleId: 'r1', state: 'resolved', activeAtMs: 1, resolvedAtMs: 50 }),
          makeAlert({ id: 'r1@60', ruleId: 'r1', state: 'firing', activeAtMs: 60 }),
          makeAlert({ id: 'r2@70', ruleId: 'r2', state: 'pending', activeAtMs: 70, firedAtMs: null }),
          makeAlert({ id: 'r3@2', ruleId: 'r3', state: 'resolved', activeAtMs: 2, resolvedAtMs: 90 }),
        ];
        for (const a of alerts) s.putAlert(a);
        expect(s.listAlerts({ limit: 10 }).map((a) => a.id)).toEqual(['r2@70', 'r1@60', 'r3@2', 'r1@1']);
        expect(s.listAlerts({ limit: 2 }).map((a) => a.id)).toEqual(['r2@70', 'r1@60']);
        expect(s.listAlerts({ limit: 10, state: 'resolved' }).map((a) => a.id)).toEqual(['r3@2', 'r1@1']);
        expect(s.listAlerts({ limit: 10, ruleId: 'r1' }).map((a) => a.id)).toEqual(['r1@60', 'r1@1']);
        expect(
          s
            .activeAlerts()
            .map((a) => a.id)
            .sort(),
        ).toEqual(['r1@60', 'r2@70']);
        expect(s.listAlerts({ limit: 10, ruleId: 'r2' })[0]).toEqual(alerts[2]);
        s.deleteAlert('r1@1');
        s.deleteAlert('r2@70');
        expect(s.listAlerts({ limit: 10 }).map((a) => a.id)).toEqual(['r1@60', 'r3@2']);
      }),
    );

    it(
      'queues each (alert, receiver, event, seq) once and hands out what is due, in order',
      withStore((s) => {
        const alert = makeAlert();
        const n = { alertId: alert.id, receiver: 'ops', event: 'firing' as const, seq: 0, alert, createdMs: 100 };
        expect([s.enqueue(n), s.enqueue(n), s.enqueue({ ...n, receiver: 'am' })]).toEqual([true, false, true]);
        const due = s.due(100, 10);
        expect(due.map((x) => [x.receiver, x.event, x.status, x.attempts, x.nextAttemptMs])).toEqual([
          ['ops', 'firing', 'queued', 0, 100],
          ['am', 'firing', 'queued', 0, 100],
        ]);
        expect(due[0]!.alert).toEqual(alert);
        expect(s.due(99, 10)).toEqual([]);

        s.update(due[0]!.id, { attempts: 1, nextAttemptMs: 200, lastError: 'HTTP 500' });
        expect(s.due(150, 10).map((x) => x.receiver)).toEqual(['am']);
        s.update(due[0]!.id, { status: 'delivered', attempts: 2, doneMs: 200, lastError: null });
        expect(s.lastNotification(alert.id, 'ops')).toMatchObject({
          status: 'delivered',
          attempts: 2,
          doneMs: 200,
          lastError: null,
        });
        expect(s.lastNotification(alert.id, 'nobody')).toBeUndefined();
      }),
    );

    it(
      'supersedes queued firing and repeat notifications, never resolved ones',
      withStore((s) => {
        const alert = makeAlert();
        const base = { alertId: alert.id, receiver: 'ops', alert, createdMs: 100 };
        s.enqueue({ ...base, event: 'firing', seq: 0 });
        s.enqueue({ ...base, event: 'repeat', seq: 1 });
        s.enqueue({ ...base, event: 'resolved', seq: 0 });
        expect(s.supersede(alert.id, 'ops', 300)).toBe(2);
        expect(s.notificationsOf(alert.id).map((x) => [x.event, x.status])).toEqual([
          ['firing', 'superseded'],
          ['repeat', 'superseded'],
          ['resolved', 'queued'],
        ]);
      }),
    );
  });
}
