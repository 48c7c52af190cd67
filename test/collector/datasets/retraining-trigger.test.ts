import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAlertSettings } from '../../../collector/alerts/alert-settings.js';
import { createAlerting } from '../../../collector/alerts/create-alerting.js';
import { lastDriftResolvedMs } from '../../../collector/alerts/last-drift-resolution.js';
import { parseRule, ruleToJson } from '../../../collector/alerts/parse-rule.js';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';
import { alertmanagerBody } from '../../../collector/alerts/notification-bodies.js';
import { capturedSpan } from '../drift/drift-spans.js';
import { makeAlert } from '../alerts/alert-fixtures.js';
import { startWebhookReceiver, type WebhookReceiver } from '../alerts/webhook-receiver.js';
import { parseCsv, startDatasetApp, type DatasetApp } from './dataset-app.js';

/**
 * The retraining trigger: a drift rule names a dataset; when it fires, the webhook carries links to
 * the dataset and its manifest on the external URL, and a job that follows them gets the rows.
 * Once the alert resolves, `since=last-drift-resolved` starts there.
 */
let dir: string;
let app: DatasetApp;
let hook: WebhookReceiver;
const NOW = Date.now();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'infertrace-retrain-'));
  app = await startDatasetApp();
  hook = await startWebhookReceiver();
  await app.store.writeSpans(
    Array.from({ length: 5 }, (_, i) =>
      capturedSpan({
        model: 'fraud',
        version: '1',
        startMs: NOW - (5 - i) * 60_000,
        requestId: `r${i}`,
        inputs: { x: i },
      }),
    ),
  );
});
afterAll(async () => {
  await hook.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an alert that names a dataset', () => {
  it('sends links to the dataset and its manifest; following them gives the rows', async () => {
    const rulesFile = join(dir, 'rules.yaml');
    writeFileSync(
      rulesFile,
      [
        'receivers:',
        `  - { name: retrain, url: "${hook.url}/hooks/retrain" }`,
        'rules:',
        '  - id: fraud-drift',
        '    metric: drift',
        '    model: fraud',
        '    feature: input.x',
        '    comparison: ">"',
        '    threshold: 0.2',
        '    window: 1h',
        '    dataset: { labeled: include, window: 2h, slice: [ml.model.version=1] }',
      ].join('\n'),
    );
    let drift = 0.5;
    let now = NOW;
    const store = createSqliteAlertStore(app.db);
    const engine = createAlerting({
      store,
      settings: readAlertSettings({}, { INFERTRACE_ALERT_RULES: rulesFile, INFERTRACE_EXTERNAL_URL: app.url }),
      extraSources: { drift: async () => ({ value: drift }) },
      clock: () => now,
    });
    await engine.tick();
    expect(hook.requests).toHaveLength(1);
    const alert = (hook.requests[0]!.body as { alert: { dataset: { url: string; manifest: string } } }).alert;
    expect(alert.dataset.url).toBe(
      `${app.url}/api/datasets/fraud?labeled=include&window=2h&slice=ml.model.version%3D1`,
    );
    expect(alert.dataset.manifest).toBe(
      `${app.url}/api/datasets/fraud/manifest?labeled=include&window=2h&slice=ml.model.version%3D1`,
    );
    const csv = await (await fetch(alert.dataset.url)).text();
    expect(parseCsv(csv).rows.map((r) => r[1])).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(await (await fetch(alert.dataset.manifest)).json()).toMatchObject({ model: 'fraud', rows: 5 });

    expect(lastDriftResolvedMs(store, 'fraud')).toBeUndefined();
    drift = 0.1;
    now = NOW + 60_000;
    await engine.tick();
    expect(lastDriftResolvedMs(store, 'fraud')).toBe(now);
    expect(lastDriftResolvedMs(store, 'other')).toBeUndefined();
  });

  it('Alertmanager gets the links as annotations', () => {
    const receiver = {
      name: 'am',
      url: 'http://am/',
      format: 'alertmanager' as const,
      repeatIntervalMs: 60_000,
      headers: {},
      timeoutMs: 1000,
    };
    const alert = makeAlert({ dataset: '/api/datasets/fraud?labeled=only' });
    const n = {
      id: 1,
      alertId: alert.id,
      receiver: 'am',
      event: 'firing' as const,
      seq: 0,
      alert,
      createdMs: 0,
      attempts: 0,
      nextAttemptMs: 0,
      status: 'queued' as const,
      doneMs: null,
      lastError: null,
    };
    const [body] = alertmanagerBody(n, receiver, 0, 'https://it.example');
    expect(body!.annotations).toMatchObject({
      dataset_url: 'https://it.example/api/datasets/fraud?labeled=only',
      dataset_manifest_url: 'https://it.example/api/datasets/fraud/manifest?labeled=only',
    });
  });

  it.each([
    [{ labeled: 'only', drift: 'drop' }, 'fraud', undefined],
    [{ model: 'other', format: 'parquet' }, 'other', undefined],
    [{ labeled: 'maybe' }, undefined, 'rules[0] (r).dataset: labeled must be only, include or none'],
    [{ colour: 'red' }, undefined, 'rules[0] (r).dataset.colour is not a dataset parameter'],
    ['labeled=only', undefined, 'rules[0] (r).dataset must be a map of dataset parameters'],
  ])('the rule key dataset: %j', (dataset, model, problem) => {
    const rule = {
      id: 'r',
      metric: 'accuracy',
      model: 'fraud',
      comparison: '<',
      threshold: 0.8,
      window: '1h',
      dataset,
    };
    const parsed = parseRule(rule, 'rules[0]', 'file');
    if (problem === undefined) {
      expect(parsed.ok && parsed.rule.dataset?.model).toBe(model);
      if (parsed.ok) {
        const { origin: _origin, ...json } = ruleToJson(parsed.rule);
        expect(parseRule(json, 'rules[0]', 'file')).toEqual(parsed);
      }
    } else {
      expect(parsed.ok ? [] : parsed.problems[0]).toContain(problem);
    }
  });
});
