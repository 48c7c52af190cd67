import { describe, expect, it } from 'vitest';
import { accuracySource, maeSource, rmseSource } from '../../../collector/alerts/feedback-sources.js';
import { errorRateSource, latencyQuantileSource } from '../../../collector/alerts/latency-sources.js';
import { LatencyMetrics } from '../../../collector/metrics/latency/latency-metrics.js';
import { exactQuantile, requestSpan } from '../metrics/latency/latency-spans.js';
import { record } from '../feedback/feedback-fixtures.js';
import { makeRule } from './alert-fixtures.js';
import { memoryDatabase } from '../support/memory-db.js';
import { createSqliteFeedbackStore } from '../../../collector/feedback/sqlite-feedback-store.js';

const NOW = Date.UTC(2025, 5, 1, 12);
const MINUTE = 60_000;

describe('latency sources', () => {
  const metrics = new LatencyMetrics({}, () => NOW);
  const durations = Array.from({ length: 200 }, (_, i) => 10 + i);
  durations.forEach((d, i) =>
    metrics.onSpans([
      requestSpan({
        startMs: NOW - 4 * MINUTE + i * 100,
        durationMs: d,
        service: 'fraud-sidecar',
        model: 'fraud',
        version: '2',
        error: i % 10 === 0,
      }),
    ]),
  );
  // Another service's slow requests, and old ones outside the window: neither may count.
  metrics.onSpans([requestSpan({ startMs: NOW - MINUTE, durationMs: 5000, service: 'other', model: 'churn' })]);
  metrics.onSpans([
    requestSpan({
      startMs: NOW - 30 * MINUTE,
      durationMs: 9000,
      service: 'fraud-sidecar',
      model: 'fraud',
      version: '2',
    }),
  ]);
  const rule = makeRule({ metric: 'latency_quantile', quantile: 0.99, model: 'fraud', windowMs: 5 * MINUTE });

  it('gives the quantile of the matching requests in the window, within the sketch accuracy', async () => {
    const reading = await latencyQuantileSource(metrics)(rule, NOW);
    const exact = exactQuantile(
      [...durations].sort((a, b) => a - b),
      0.99,
    );
    expect(Math.abs(reading!.value - exact) / exact).toBeLessThanOrEqual(metrics.options.relativeAccuracy);
    expect(reading!.cause).toMatchObject({
      service: 'fraud-sidecar',
      model: 'fraud',
      version: '2',
      count: durations.length,
      quantile: 0.99,
      exemplarTraceIds: [expect.stringMatching(/^[0-9a-f]{32}$/)],
    });
  });

  it('gives the error rate, with a failed request as exemplar', async () => {
    const reading = await errorRateSource(metrics)({ ...rule, metric: 'error_rate' }, NOW);
    const errors = durations.filter((_, i) => i % 10 === 0).length;
    expect(reading!.value).toBe(errors / durations.length);
    expect(reading!.cause?.exemplarTraceIds).toHaveLength(1);
  });

  it.each([
    ['another model', { model: 'none' }],
    ['too few requests', { minCount: 1000 }],
  ])('has no data for %s', async (_name, overrides) => {
    expect(await latencyQuantileSource(metrics)({ ...rule, ...overrides }, NOW)).toBeUndefined();
  });
});

describe('feedback sources', () => {
  const store = createSqliteFeedbackStore(memoryDatabase());
  const at = (i: number): number => NOW - 30 * MINUTE + i;
  store.upsert([
    record({ requestId: 'ok-1', predictionMs: at(1), prediction: 'fraud', truth: { kind: 'label', label: 'fraud' } }),
    record({
      requestId: 'bad-1',
      predictionMs: at(2),
      prediction: 'ok',
      truth: { kind: 'label', label: 'fraud' },
      traceId: '1'.repeat(32),
    }),
    record({
      requestId: 'bad-2',
      predictionMs: at(3),
      prediction: 'ok',
      truth: { kind: 'label', label: 'fraud' },
      traceId: '2'.repeat(32),
    }),
    record({
      requestId: 'ok-2',
      predictionMs: at(4),
      prediction: 'ok',
      truth: { kind: 'label', label: 'ok' },
      version: '2',
    }),
    record({
      requestId: 'old',
      predictionMs: NOW - 2 * 3_600_000,
      prediction: 'ok',
      truth: { kind: 'label', label: 'fraud' },
    }),
    record({
      requestId: 'price-1',
      model: 'price',
      predictionMs: at(5),
      prediction: 10,
      truth: { kind: 'value', value: 13 },
    }),
    record({
      requestId: 'price-2',
      model: 'price',
      predictionMs: at(6),
      prediction: 20,
      truth: { kind: 'value', value: 19 },
    }),
  ]);
  const rule = makeRule({ windowMs: 3_600_000 });

  it('gives the accuracy in the window, with the latest wrong predictions as exemplars', async () => {
    const reading = await accuracySource(store)(rule, NOW);
    expect(reading!.value).toBe(2 / 4);
    expect(reading!.cause).toMatchObject({
      count: 4,
      exemplarRequestIds: ['bad-2', 'bad-1'],
      exemplarTraceIds: ['2'.repeat(32), '1'.repeat(32)],
    });
    // Two versions are behind the value: the cause lists them rather than naming one.
    expect(reading!.cause?.version).toBeUndefined();
    expect(reading!.cause?.details).toMatchObject({ versions: ['1', '2'] });
    expect((await accuracySource(store)({ ...rule, version: '2' }, NOW))!.cause?.version).toBe('2');
  });

  it.each([
    ['a version', { version: '2' }, 1],
    ['a slice', { slice: { 'ml.input.region': 'eu' } }, 2 / 4],
  ])('narrows to %s', async (_name, overrides, expected) => {
    expect((await accuracySource(store)({ ...rule, ...overrides }, NOW))!.value).toBe(expected);
  });

  it('gives MAE and RMSE with the largest error first', async () => {
    const priceRule = { ...rule, model: 'price' };
    const mae = await maeSource(store)({ ...priceRule, metric: 'mae' }, NOW);
    const rmse = await rmseSource(store)({ ...priceRule, metric: 'rmse' }, NOW);
    expect(mae!.value).toBe((3 + 1) / 2);
    expect(rmse!.value).toBe(Math.sqrt((9 + 1) / 2));
    expect(mae!.cause?.exemplarRequestIds).toEqual(['price-1', 'price-2']);
  });

  it('has no data below min_count', async () => {
    expect(await accuracySource(store)({ ...rule, minCount: 5 }, NOW)).toBeUndefined();
    expect(await maeSource(store)({ ...rule, metric: 'mae' }, NOW)).toBeUndefined();
  });
});
