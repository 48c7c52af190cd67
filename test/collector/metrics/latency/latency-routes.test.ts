import { type FastifyInstance } from 'fastify';
import { bareApp } from '../../../support/bare-app.js';
import { afterEach, describe, expect, it } from 'vitest';
import { LatencyMetrics } from '../../../../collector/metrics/latency/latency-metrics.js';
import { latencyRoutes } from '../../../../collector/metrics/latency/latency-routes.js';
import { exactQuantile, requestSpan } from './latency-spans.js';

const MIN = 60_000;
const NOW = 1_718_000_100_000; // a whole five minutes

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(): Promise<{ app: FastifyInstance; metrics: LatencyMetrics }> {
  const metrics = new LatencyMetrics({}, () => NOW);
  app = bareApp();
  await app.register(latencyRoutes, { metrics, clock: () => NOW });
  return { app, metrics };
}

describe('GET /api/metrics/latency', () => {
  it('answers per series and per step with counts, error rate, quantiles and the error bound', async () => {
    const { app, metrics } = await serve();
    const durations = Array.from({ length: 100 }, (_, i) => i + 1);
    metrics.onSpans(
      durations.map((d, i) =>
        requestSpan({
          startMs: NOW - 10 * MIN + (i % 2) * 5 * MIN,
          durationMs: d,
          model: 'iris',
          version: '1',
          error: d % 10 === 0,
        }),
      ),
    );
    metrics.onSpans([requestSpan({ startMs: NOW - MIN, durationMs: 3, model: 'mnist', version: '7' })]);

    const res = await app.inject({ url: `/api/metrics/latency?model=iris&start=${NOW - 10 * MIN}&end=${NOW}&step=5m` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ start: NOW - 10 * MIN, end: NOW, step: 5 * MIN, bucketWidthMs: MIN });
    expect(body.quantiles).toMatchObject({ sketch: 'DDSketch', relativeAccuracy: 0.01 });
    expect(body.quantiles.note).toMatch(/±1%/);
    expect(body.series).toHaveLength(1);
    const [series] = body.series;
    expect(series).toMatchObject({ service: 'iris-sidecar', model: 'iris', version: '1' });
    expect(
      series.points.map((p: { start: number; count: number; errors: number }) => [p.start, p.count, p.errors]),
    ).toEqual([
      [NOW - 10 * MIN, 50, 0],
      [NOW - 5 * MIN, 50, 10],
    ]);
    expect(series.total).toMatchObject({ count: 100, errors: 10, errorRate: 0.1 });
    for (const [name, q] of [
      ['p50', 0.5],
      ['p90', 0.9],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      const exact = exactQuantile(durations, q);
      expect(Math.abs(series.total[name] - exact)).toBeLessThanOrEqual(0.01 * exact * (1 + 1e-9));
    }
    expect(series.total.exemplar.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(series.total.errorExemplar.durationMs % 10).toBe(0);
  });

  it('answers an empty series list when nothing matches', async () => {
    const { app } = await serve();
    const res = await app.inject({ url: '/api/metrics/latency?service=nobody' });
    expect(res.statusCode).toBe(200);
    expect(res.json().series).toEqual([]);
  });

  it.each([
    ['start=yesterday', 'start'],
    ['end=2024-06', 'end'],
    ['step=90s', 'step'],
    ['step=sometimes', 'step'],
    [`start=${NOW}&end=${NOW - 1}`, 'start'],
    ['servce=iris', 'servce'],
    ['service=a&service=b', 'service'],
    [`model=${'x'.repeat(1025)}`, 'model'],
  ])('refuses ?%s with a 400 naming %s', async (query, parameter) => {
    const { app } = await serve();
    const res = await app.inject({ url: `/api/metrics/latency?${query}` });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.error.code).toBe(parameter === 'servce' ? 'unknown_parameter' : 'invalid_parameter');
    expect(body.error.message).toContain(parameter);
  });
});
