import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../collector/app.js';
import { AlertEngine } from '../../../collector/alerts/alert-engine.js';
import { alertPlugin } from '../../../collector/alerts/alert-routes.js';
import { memorySpanStore, memoryDatabase } from '../support/memory-db.js';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const RULE = {
  id: 'p99',
  metric: 'latency_quantile',
  quantile: 0.99,
  model: 'fraud',
  comparison: '>',
  threshold: 250,
  window: '5m',
  for: '1m',
};

function setup() {
  let now = Date.UTC(2025, 5, 1);
  let value = 300;
  const engine = new AlertEngine({
    store: createSqliteAlertStore(memoryDatabase()),
    sources: { latency_quantile: async () => ({ value, cause: { count: 10, exemplarTraceIds: ['d'.repeat(32)] } }) },
    externalUrl: 'http://collector:4318',
    clock: () => now,
  });
  engine.setFileRules([
    {
      id: 'from-file',
      name: 'from-file',
      metric: 'latency_quantile',
      quantile: 0.5,
      comparison: '>',
      threshold: 1,
      windowMs: 60_000,
      forMs: 0,
      minCount: 1,
      severity: 'warning',
      labels: {},
      annotations: {},
      origin: 'file',
    },
  ]);
  app = buildApp({ store: memorySpanStore(), plugins: [alertPlugin({ engine: () => engine })] });
  return { app, engine, advance: (ms: number) => (now += ms), setValue: (v: number) => (value = v) };
}

describe('alert routes', () => {
  it('adds, lists and deletes rules', async () => {
    const { app } = setup();
    const created = await app.inject({ method: 'POST', url: '/api/alerts/rules', payload: RULE });
    expect(created.statusCode).toBe(201);
    expect(created.json().rule).toEqual({
      ...RULE,
      name: 'p99',
      min_count: 1,
      severity: 'warning',
      labels: {},
      annotations: {},
      origin: 'api',
    });

    const listed = (await app.inject({ url: '/api/alerts/rules' })).json();
    expect(listed.rules.map((r: { id: string; origin: string }) => [r.id, r.origin])).toEqual([
      ['from-file', 'file'],
      ['p99', 'api'],
    ]);
    expect(listed.rules[1].status).toEqual({
      health: 'unknown',
      lastEvaluatedAt: null,
      lastValue: null,
      lastError: null,
    });
    expect(listed.metrics).toEqual(['latency_quantile']);

    expect((await app.inject({ method: 'DELETE', url: '/api/alerts/rules/p99' })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/alerts/rules' })).json().rules).toHaveLength(1);
  });

  it.each([
    [
      'an invalid rule',
      'POST',
      '/api/alerts/rules',
      { ...RULE, threshold: 'high' },
      400,
      'invalid_rule',
      'threshold must be a number',
    ],
    [
      'an unknown metric',
      'POST',
      '/api/alerts/rules',
      { ...RULE, metric: 'drift', feature: 'f' },
      400,
      'unknown_metric',
      'metrics with a source: latency_quantile',
    ],
    ['a duplicate id', 'POST', '/api/alerts/rules', { ...RULE, id: 'from-file' }, 409, 'rule_exists', 'exists already'],
    ['a body that is not a rule', 'POST', '/api/alerts/rules', [RULE], 400, 'invalid_rule', 'one rule'],
    ['deleting an unknown rule', 'DELETE', '/api/alerts/rules/nope', undefined, 404, 'rule_not_found', '"nope"'],
    [
      'deleting a file rule',
      'DELETE',
      '/api/alerts/rules/from-file',
      undefined,
      409,
      'rule_from_file',
      'INFERTRACE_ALERT_RULES',
    ],
    [
      'a bad state filter',
      'GET',
      '/api/alerts?state=burning',
      undefined,
      400,
      'invalid_parameter',
      'state must be one of',
    ],
    [
      'an unknown parameter',
      'GET',
      '/api/alerts?rules=x',
      undefined,
      400,
      'unknown_parameter',
      'unknown query parameter "rules"',
    ],
  ] as const)('refuses %s', async (_name, method, url, payload, status, code, message) => {
    const { app } = setup();
    const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toEqual({ code, message: expect.stringContaining(message) });
  });

  it('lists active alerts first with their cause, then resolved ones', async () => {
    const { app, engine, advance, setValue } = setup();
    await app.inject({ method: 'POST', url: '/api/alerts/rules', payload: RULE });
    await engine.tick(); // from-file fires at once; p99 is pending for 1m
    setValue(0.5); // from-file (> 1) resolves; p99 (> 250) clears
    advance(30_000);
    await engine.tick();
    setValue(300);
    advance(30_000);
    await engine.tick();
    const body = (await app.inject({ url: '/api/alerts' })).json();
    expect(body.alerts.map((a: { rule: string; state: string }) => [a.rule, a.state])).toEqual([
      ['from-file', 'firing'],
      ['p99', 'pending'],
      ['from-file', 'resolved'],
    ]);
    expect(body.alerts[1].cause).toMatchObject({
      metric: 'latency_quantile',
      quantile: 0.99,
      model: 'fraud',
      value: 300,
      threshold: 250,
      exemplarTraceIds: ['d'.repeat(32)],
    });
    expect(body.alerts[0].url).toBe('http://collector:4318/api/alerts?rule=from-file');
    expect((await app.inject({ url: '/api/alerts?state=pending' })).json().alerts).toHaveLength(1);
    expect(
      (await app.inject({ url: '/api/alerts?rule=from-file&limit=1' }))
        .json()
        .alerts.map((a: { state: string }) => a.state),
    ).toEqual(['firing']);
  });
});
