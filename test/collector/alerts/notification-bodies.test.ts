import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../collector/alerts/alert-store.js';
import { alertmanagerBody, genericBody } from '../../../collector/alerts/notification-bodies.js';
import { deliveryUrl, type Receiver } from '../../../collector/alerts/receiver.js';
import { makeAlert } from './alert-fixtures.js';

const am: Receiver = {
  name: 'am',
  url: 'http://am:9093/',
  format: 'alertmanager',
  repeatIntervalMs: 60_000,
  headers: {},
  timeoutMs: 1000,
};
const notification = (overrides: Partial<Notification> = {}): Notification => ({
  id: 1,
  alertId: 'fraud-accuracy@1000',
  receiver: 'am',
  event: 'firing',
  seq: 0,
  alert: makeAlert(),
  createdMs: 1000,
  attempts: 0,
  nextAttemptMs: 1000,
  status: 'queued',
  doneMs: null,
  lastError: null,
  ...overrides,
});
const NOW = 5000;

describe('notification bodies', () => {
  it('Alertmanager: labels from the cause and rule, annotations with the evidence, endsAt 4 repeats ahead', () => {
    const [alert] = alertmanagerBody(notification(), am, NOW, 'http://collector:4318');
    expect(alert).toEqual({
      labels: {
        alertname: 'FraudAccuracyLow',
        rule_id: 'fraud-accuracy',
        severity: 'critical',
        metric: 'accuracy',
        model: 'fraud',
        version: '3',
        team: 'ml',
      },
      annotations: {
        summary: 'accuracy of model fraud is 0.5',
        value: '0.5',
        threshold: '< 0.8',
        window: '1h',
        count: '40',
        exemplar_request_ids: 'r-1,r-2',
        exemplar_trace_ids: `${'a'.repeat(32)},${'b'.repeat(32)}`,
        runbook: 'http://wiki/fraud',
      },
      startsAt: new Date(1000).toISOString(),
      endsAt: new Date(NOW + 4 * am.repeatIntervalMs).toISOString(),
      generatorURL: 'http://collector:4318/api/alerts?rule=fraud-accuracy',
    });
    for (const v of [...Object.values(alert!.labels), ...Object.values(alert!.annotations)])
      expect(typeof v).toBe('string');
  });

  it('Alertmanager: a resolved alert ends when it resolved, and says why when not by value', () => {
    const resolved = makeAlert({ state: 'resolved', resolvedAtMs: 3000, resolvedReason: 'the rule was deleted' });
    const [alert] = alertmanagerBody(notification({ event: 'resolved', alert: resolved }), am, NOW);
    expect(alert!.endsAt).toBe(new Date(3000).toISOString());
    expect(alert!.annotations['resolved_reason']).toBe('the rule was deleted');
    expect(alert).not.toHaveProperty('generatorURL');
  });

  it('generic: the event, the status and the whole alert with its cause', () => {
    const body = genericBody(notification({ receiver: 'ops', event: 'repeat' }), 'http://collector:4318');
    expect(body).toMatchObject({
      version: '1',
      receiver: 'ops',
      event: 'repeat',
      status: 'firing',
      alert: {
        id: 'fraud-accuracy@1000',
        rule: 'fraud-accuracy',
        state: 'firing',
        value: 0.5,
        firedAt: new Date(1000).toISOString(),
        resolvedAt: null,
        cause: makeAlert().cause,
        url: 'http://collector:4318/api/alerts?rule=fraud-accuracy',
      },
    });
  });

  it.each([
    ['http://am:9093', 'http://am:9093/api/v2/alerts'],
    ['http://am:9093/', 'http://am:9093/api/v2/alerts'],
    ['http://am:9093/api/v2/alerts', 'http://am:9093/api/v2/alerts'],
  ])('posts to Alertmanager at %s → %s', (url, expected) => expect(deliveryUrl({ ...am, url })).toBe(expected));
});
