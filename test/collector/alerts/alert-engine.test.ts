import { afterEach, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../../collector/alerts/alert-engine.js';
import type { MetricSource } from '../../../collector/alerts/metric-source.js';
import type { Receiver } from '../../../collector/alerts/receiver.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';
import { memoryDatabase } from '../support/memory-db.js';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';

const T0 = Date.UTC(2025, 5, 1);
const opened: WebhookReceiver[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((r) => r.close()));
});

async function receiver(statuses: number[] = []): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(statuses);
  opened.push(r);
  return r;
}

/** A source whose value the test sets; it names exemplars like a drift source would. */
function scripted(): { source: MetricSource; set(v: number | undefined): void } {
  let value: number | undefined;
  return {
    set: (v) => (value = v),
    source: async () =>
      value === undefined
        ? undefined
        : {
            value,
            cause: {
              count: 100,
              exemplarRequestIds: ['req-7'],
              exemplarTraceIds: ['c'.repeat(32)],
              movedBins: [{ kind: 'category', category: 'eu', referenceShare: 0.5, currentShare: 0.9, delta: 0.4 }],
            },
          },
  };
}

const RULE = {
  id: 'fraud-drift',
  name: 'FraudRegionDrift',
  metric: 'scripted',
  model: 'fraud',
  feature: 'region',
  statistic: 'psi',
  comparison: '>',
  threshold: 0.2,
  window: '1h',
  for: '2m',
  severity: 'critical',
};

function setup(receivers: Receiver[], repeatMs = 600_000) {
  let now = T0;
  const s = scripted();
  const engine = new AlertEngine({
    store: createSqliteAlertStore(memoryDatabase()),
    receivers: receivers.map((r) => ({ ...r, repeatIntervalMs: repeatMs })),
    sources: { scripted: s.source },
    externalUrl: 'http://collector:4318',
    delivery: { backoffMs: 1000, maxAttempts: 3 },
    clock: () => now,
  });
  engine.addRule(RULE);
  return { engine, s, advance: (ms: number) => (now += ms), now: () => now };
}

const generic = (url: string): Receiver => ({
  name: 'ops',
  url,
  format: 'generic',
  repeatIntervalMs: 0,
  headers: { authorization: 'Bearer t' },
  timeoutMs: 5000,
});
const alertmanager = (url: string): Receiver => ({
  name: 'am',
  url,
  format: 'alertmanager',
  repeatIntervalMs: 0,
  headers: {},
  timeoutMs: 5000,
});

describe('AlertEngine with real webhook receivers', () => {
  it('goes pending → firing → resolved, retries a 500, notifies once per change and repeats while firing', async () => {
    const ops = await receiver([500]);
    const am = await receiver();
    const { engine, s, advance } = setup([generic(ops.url), alertmanager(am.url)]);

    s.set(0.35);
    await engine.tick();
    expect(engine.alerts({ limit: 10 }).map((a) => a.state)).toEqual(['pending']);
    expect(ops.requests.length + am.requests.length).toBe(0);

    advance(120_000); // `for` elapsed: fires; the generic hook answers 500 first
    await engine.tick();
    expect(engine.alerts({ limit: 10 })[0]!.state).toBe('firing');
    expect(ops.requests.map((r) => (r.body as { event: string }).event)).toEqual(['firing']);
    expect(am.requests).toHaveLength(1);

    advance(500); // backoff is 1 s: nothing is due yet
    await engine.tick();
    expect(ops.requests).toHaveLength(1);

    advance(500);
    await engine.tick();
    expect(ops.requests).toHaveLength(2);
    const firing = ops.requests[1]!;
    expect(firing.headers['authorization']).toBe('Bearer t');
    expect(firing.body).toMatchObject({
      version: '1',
      receiver: 'ops',
      event: 'firing',
      status: 'firing',
      alert: {
        id: `fraud-drift@${T0}`,
        name: 'FraudRegionDrift',
        severity: 'critical',
        value: 0.35,
        cause: {
          metric: 'scripted',
          model: 'fraud',
          feature: 'region',
          statistic: 'psi',
          value: 0.35,
          threshold: 0.2,
          comparison: '>',
          window: '1h',
          count: 100,
          exemplarRequestIds: ['req-7'],
          exemplarTraceIds: ['c'.repeat(32)],
          movedBins: [expect.objectContaining({ category: 'eu' })],
          summary: expect.stringContaining('feature region'),
        },
        url: 'http://collector:4318/api/alerts?rule=fraud-drift',
      },
    });

    advance(60_000); // still firing, before the repeat interval: nothing new
    await engine.tick();
    await engine.tick();
    expect([ops.requests.length, am.requests.length]).toEqual([2, 1]);

    advance(600_000); // past the repeat interval: both receivers hear it again
    await engine.tick();
    expect(ops.requests.map((r) => (r.body as { event: string }).event)).toEqual(['firing', 'firing', 'repeat']);
    expect(am.requests).toHaveLength(2);

    s.set(0.05);
    advance(30_000);
    await engine.tick();
    await engine.tick();
    expect(ops.requests.map((r) => (r.body as { status: string }).status)).toEqual([
      'firing',
      'firing',
      'firing',
      'resolved',
    ]);
    const resolvedAt = new Date(engine.alerts({ limit: 1 })[0]!.resolvedAtMs!).toISOString();

    expect(am.requests.map((r) => [r.method, r.path])).toEqual([
      ['POST', '/api/v2/alerts'],
      ['POST', '/api/v2/alerts'],
      ['POST', '/api/v2/alerts'],
    ]);
    const [amFiring, , amResolved] = am.requests.map((r) => (r.body as Record<string, unknown>[])[0]!);
    expect(amFiring).toMatchObject({
      labels: {
        alertname: 'FraudRegionDrift',
        rule_id: 'fraud-drift',
        severity: 'critical',
        model: 'fraud',
        feature: 'region',
        statistic: 'psi',
      },
      annotations: {
        value: '0.35',
        threshold: '> 0.2',
        exemplar_request_ids: 'req-7',
        moved_bins: expect.stringContaining('"eu"'),
      },
      startsAt: new Date(T0 + 120_000).toISOString(),
      generatorURL: 'http://collector:4318/api/alerts?rule=fraud-drift',
    });
    expect(Date.parse(amFiring!['endsAt'] as string)).toBeGreaterThan(T0 + 120_000);
    expect(amResolved).toMatchObject({ endsAt: resolvedAt, annotations: { value: '0.05' } });

    const [alert] = engine.alerts({ limit: 10 });
    expect(alert).toMatchObject({ state: 'resolved', value: 0.05 });
    const delivered = engine.store.notificationsOf(alert!.id).filter((n) => n.receiver === 'ops');
    expect(delivered.map((n) => [n.event, n.status, n.attempts])).toEqual([
      ['firing', 'delivered', 2],
      ['repeat', 'delivered', 1],
      ['resolved', 'delivered', 1],
    ]);
  });

  it('gives up on a 4xx at once and after maxAttempts on 5xx, keeping the error', async () => {
    const refusing = await receiver([400]);
    const down = await receiver([503, 503, 503]);
    const { engine, s, advance } = setup([generic(refusing.url), { ...generic(down.url), name: 'down' }]);
    s.set(1);
    await engine.tick();
    advance(120_000);
    for (let i = 0; i < 4; i++) {
      await engine.tick();
      advance(10_000);
    }
    expect([refusing.requests.length, down.requests.length]).toEqual([1, 3]);
    const notes = engine.store.notificationsOf(engine.alerts({ limit: 1 })[0]!.id);
    expect(notes.map((n) => [n.receiver, n.status, n.attempts, n.lastError?.slice(0, 8)])).toEqual([
      ['ops', 'failed', 1, 'HTTP 400'],
      ['down', 'failed', 3, 'HTTP 503'],
    ]);
  });

  it('resolves a firing alert when its rule is deleted, and reports a failing source on the rule', async () => {
    const ops = await receiver();
    const { engine, s, advance } = setup([generic(ops.url)]);
    s.set(1);
    await engine.tick();
    advance(120_000);
    await engine.tick();
    engine.registerSource('broken', async () => {
      throw new Error('drift summaries unavailable');
    });
    engine.addRule({ ...RULE, id: 'broken-rule', metric: 'broken' });
    await engine.tick();
    expect(engine.rules().find((r) => r.rule.id === 'broken-rule')).toMatchObject({
      health: 'error',
      lastError: 'drift summaries unavailable',
    });
    engine.deleteRule('fraud-drift');
    await engine.deliver();
    expect(ops.requests.map((r) => (r.body as { status: string }).status)).toEqual(['firing', 'resolved']);
    expect((ops.requests[1]!.body as { alert: { resolvedReason: string } }).alert.resolvedReason).toBe(
      'the rule was deleted',
    );
  });

  it('refuses rules whose metric or receiver is unknown', () => {
    const { engine } = setup([]);
    expect(() => engine.addRule({ ...RULE, id: 'x', metric: 'drift' })).toThrow(/metric "drift" has no source/);
    expect(() => engine.addRule({ ...RULE, id: 'y', receivers: ['pager'] })).toThrow(/receiver "pager" is not defined/);
    expect(() => engine.addRule(RULE)).toThrow(/exists already/);
  });
});
