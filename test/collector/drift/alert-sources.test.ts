import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { buildCause } from '../../../collector/alerts/alert-cause.js';
import { defaultStatistic } from '../../../collector/drift/drift-alert-sources.js';
import { createDriftPipeline } from '../../../collector/drift/drift-pipeline.js';
import { driftReport } from '../../../collector/drift/report/drift-report.js';
import { binContains } from '../../../collector/drift/report/moved-bins.js';
import type { SpanStore } from '../../../collector/storage/span-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { makeRule } from '../alerts/alert-fixtures.js';
import { seeded } from '../support/seeded.js';
import { capturedSpan } from './drift-spans.js';

/** The `drift` and `missing_rate` alert sources over a real SQLite store. */
const T0 = Date.parse('2026-01-10T10:00:00Z');
const NOW = T0 + 120_000;
const r = seeded(21);
const before = Array.from({ length: 200 }, () => Math.round(r.normal(0, 1) * 1000) / 1000);
const after = Array.from({ length: 200 }, () => Math.round(r.normal(2, 1) * 1000) / 1000);
const spans: SpanRecord[] = [
  ...before.map((x, i) =>
    capturedSpan({ model: 'fraud', version: '3', startMs: T0 + i * 300, requestId: `a${i}`, inputs: { x, y: 1 } }),
  ),
  ...after.map((x, i) =>
    capturedSpan({
      model: 'fraud',
      version: '3',
      startMs: T0 + 60_000 + i * 300,
      requestId: `b${i}`,
      inputs: i % 2 === 0 ? { x, y: 1 } : { x },
    }),
  ),
];
const drift = createDriftPipeline({ clock: () => NOW });
const dir = mkdtempSync(join(tmpdir(), 'infertrace-drift-alerts-'));
let store: SpanStore;

beforeAll(async () => {
  store = drift.attach(openSqliteStore({ path: join(dir, 'spans.db'), schemaSteps: AREA_SCHEMA_STEPS }));
  await store.writeSpans(spans);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rule = (over: Parameters<typeof makeRule>[0]) =>
  makeRule({
    id: 'x-drift',
    metric: 'drift',
    model: 'fraud',
    feature: 'x',
    comparison: '>',
    threshold: 0.2,
    windowMs: 60_000,
    ...over,
  });
const expected = driftReport({
  reference: { 'input.x': { type: 'numeric', values: before } },
  current: { 'input.x': { type: 'numeric', values: after } },
}).features[0]!;

describe('drift alert source', () => {
  it("gives what the feature's drift method decides on (KS: the p-value) against the previous window, with moved bins and exemplars", async () => {
    const reading = await drift.alertSources.drift(rule({}), NOW);
    expect(reading?.value).toBe(expected.pValue);
    expect(reading?.value).toBe(expected.statistics.ks_p_value);
    expect(reading?.cause).toMatchObject({ statistic: 'ks_p_value', count: 200, movedBins: expected.topMovedBins });
    const ids = reading?.cause?.exemplarRequestIds ?? [];
    expect(ids).toHaveLength(5);
    for (const id of ids) {
      const span = spans.find((s) => s.attributes['ml.request.id'] === id)!;
      expect(reading?.cause?.exemplarTraceIds).toContain(span.traceId);
      expect(expected.topMovedBins.some((b) => b.delta > 0 && binContains(b, span.attributes['ml.input.x']))).toBe(
        true,
      );
    }
    const cause = buildCause(rule({}), reading!);
    expect(cause.summary).toMatch(/^drift \(ks_p_value\) of model fraud feature x is /);
  });

  it('gives a named statistic, and says which exist when it is unknown', async () => {
    expect(
      (await drift.alertSources.drift(rule({ statistic: 'psi', feature: 'input.x', version: '3' }), NOW))?.value,
    ).toBe(expected.statistics.psi);
    await expect(drift.alertSources.drift(rule({ statistic: 'chi_square' }), NOW)).rejects.toThrow(
      /not computed for numeric feature input.x; use one of ks, ks_p_value/,
    );
  });

  it('has no data for an unknown model, an unknown feature, or fewer values than minCount', async () => {
    expect(await drift.alertSources.drift(rule({ model: 'nobody' }), NOW)).toBeUndefined();
    expect(await drift.alertSources.drift(rule({ feature: 'nope' }), NOW)).toBeUndefined();
    expect(await drift.alertSources.drift(rule({ minCount: 201 }), NOW)).toBeUndefined();
  });
});

describe('the default statistic of a drift rule', () => {
  it.each([
    ['ks', 'ks_p_value'],
    ['chi_square', 'chi_square_p_value'],
    ['wasserstein', 'wasserstein'],
    ['psi', 'psi'],
    ['jensen_shannon', 'jensen_shannon'],
    ['kl', 'kl'],
    ['l_infinity', 'l_infinity'],
    [null, undefined],
  ] as const)('method %s reads %s', (method, statistic) => {
    expect(defaultStatistic(method)).toBe(statistic);
  });
});

describe('missing_rate alert source', () => {
  it('gives the share of rows without the feature, with requests that lack it', async () => {
    const reading = await drift.alertSources.missing_rate(rule({ metric: 'missing_rate', feature: 'y' }), NOW);
    expect(reading?.value).toBe(0.5);
    expect(reading?.cause?.count).toBe(200);
    const ids = reading?.cause?.exemplarRequestIds ?? [];
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids)
      expect(spans.find((s) => s.attributes['ml.request.id'] === id)?.attributes['ml.input.y']).toBeUndefined();
  });
});
