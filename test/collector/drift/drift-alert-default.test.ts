import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlerting } from '../../../collector/alerts/create-alerting.js';
import { createSqliteAlertStore } from '../../../collector/alerts/sqlite-alert-store.js';
import { createDriftPipeline } from '../../../collector/drift/drift-pipeline.js';
import { driftReport } from '../../../collector/drift/report/drift-report.js';
import type { SpanStore } from '../../../collector/storage/span-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { seeded } from '../support/seeded.js';
import { capturedSpan } from './drift-spans.js';

/**
 * The drift rule as the docs write it — no `statistic`, `comparison: "<"`, `threshold: 0.05` —
 * through the real alert engine, the drift pipeline and a SQLite store: it reads the KS p-value,
 * so it stays quiet on two samples of one distribution and fires on a shifted one.
 */
const T0 = Date.parse('2026-01-10T10:00:00Z');
const NOW = T0 + 120_000;
const r = seeded(7);
const sample = (mean: number): number[] =>
  Array.from({ length: 300 }, () => Math.round(r.normal(mean, 1) * 1000) / 1000);
const series = { same: [sample(0), sample(0)], shifted: [sample(0), sample(0.6)] };

const dir = mkdtempSync(join(tmpdir(), 'infertrace-drift-default-'));
const drift = createDriftPipeline({ clock: () => NOW });
let sqlite: SqliteStore;
let store: SpanStore;

beforeAll(async () => {
  sqlite = openSqliteStore({ path: join(dir, 'spans.db'), schemaSteps: AREA_SCHEMA_STEPS });
  store = drift.attach(sqlite);
  for (const [model, [before, after]] of Object.entries(series)) {
    await store.writeSpans([
      ...before!.map((x, i) => capturedSpan({ model, startMs: T0 + i * 150, inputs: { x } })),
      ...after!.map((x, i) => capturedSpan({ model, startMs: T0 + 60_000 + i * 150, inputs: { x } })),
    ]);
  }
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const documentedRule = (model: string) => ({
  id: `${model}-x-drift`,
  metric: 'drift',
  model,
  feature: 'x',
  comparison: '<',
  threshold: 0.05,
  window: '1m',
});
const expected = (model: keyof typeof series) =>
  driftReport({
    reference: { 'input.x': { type: 'numeric', values: series[model][0]! } },
    current: { 'input.x': { type: 'numeric', values: series[model][1]! } },
  }).features[0]!;

describe('the documented drift rule (no statistic) on a KS feature', () => {
  it('compares the p-value: quiet on one distribution, firing on a shifted one', async () => {
    // What the data is, so the test can fail: D is small but above 0.05 on equal data, p tiny on shifted data.
    expect(expected('same').statistics.ks).toBeGreaterThan(0.05);
    expect(expected('same').statistics.ks_p_value).toBeGreaterThan(0.05);
    expect(expected('shifted').statistics.ks_p_value).toBeLessThan(0.05);

    const engine = createAlerting({
      store: createSqliteAlertStore(sqlite.db),
      settings: { rulesFile: undefined, intervalMs: undefined, externalUrl: undefined },
      extraSources: drift.alertSources,
      clock: () => NOW,
    });
    engine.addRule(documentedRule('same'));
    engine.addRule(documentedRule('shifted'));
    await engine.tick();

    const firing = engine.alerts({ limit: 10 }).filter((a) => a.state === 'firing');
    expect(firing.map((a) => a.ruleId)).toEqual(['shifted-x-drift']);
    expect(firing[0]!.value).toBe(expected('shifted').statistics.ks_p_value);
    expect(firing[0]!.cause).toMatchObject({ statistic: 'ks_p_value' });
    const same = engine.rules().find((s) => s.rule.id === 'same-x-drift')!;
    expect(same.lastValue).toBe(expected('same').statistics.ks_p_value);
  });
});
