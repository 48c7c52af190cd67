import { describe, expect, it } from 'vitest';
import { LatencyMetrics } from '../../../../collector/metrics/latency/latency-metrics.js';
import { OVERFLOW_SERIES } from '../../../../collector/metrics/latency/series-key.js';
import { exactQuantile, requestSpan, seededRandom } from './latency-spans.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = 1_750_000_000_000 - (1_750_000_000_000 % MIN) + 30_000; // half-way through a minute

function withClock(start: number, options = {}): { metrics: LatencyMetrics; clock: { now: number } } {
  const clock = { now: start };
  return { metrics: new LatencyMetrics(options, () => clock.now), clock };
}

const everything = { startMs: 0, endMs: NOW + 2 * HOUR, stepMs: MIN };

describe('LatencyMetrics as a span listener', () => {
  it('counts requests and errors per series and per minute, and ignores client and child spans', () => {
    const { metrics } = withClock(NOW);
    metrics.onSpans([
      requestSpan({ startMs: NOW - 2 * MIN, durationMs: 10, model: 'iris', version: '1' }),
      requestSpan({ startMs: NOW - 2 * MIN + 5, durationMs: 30, model: 'iris', version: '1', error: true }),
      requestSpan({ startMs: NOW - MIN, durationMs: 20, model: 'iris', version: '2' }),
      requestSpan({ startMs: NOW - MIN, durationMs: 20, model: 'iris', version: '2', kind: 'CLIENT' }),
      requestSpan({ startMs: NOW - MIN, durationMs: 20, kind: 'INTERNAL', parentSpanId: 'aaaaaaaaaaaaaaaa' }),
    ]);
    const result = metrics.query({ model: 'iris' }, everything);
    expect(result.map((r) => [r.key.version, r.rolled.total.count, r.rolled.total.errors])).toEqual([
      ['1', 2, 1],
      ['2', 1, 0],
    ]);
    const v1 = result[0]?.rolled;
    expect(v1?.steps.map((s) => s.startMs)).toEqual([NOW - 30_000 - 2 * MIN]);
    expect(metrics.stats()).toMatchObject({ series: 2, buckets: 2 });
  });

  it('gives quantiles within the stated relative error over many batches and minutes', () => {
    const { metrics } = withClock(NOW);
    const r = seededRandom(3);
    const durations: number[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const spans = Array.from({ length: 100 }, (_, i) => {
        const d = 5 + 200 * r() ** 3;
        durations.push(d);
        return requestSpan({ startMs: NOW - 30 * MIN + batch * MIN + i, durationMs: d });
      });
      metrics.onSpans(spans);
    }
    const [series] = metrics.query({}, { startMs: NOW - HOUR, endMs: NOW + MIN, stepMs: HOUR });
    const sorted = durations.sort((a, b) => a - b);
    const sketch = series?.rolled.total.sketch;
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const exact = exactQuantile(sorted, q);
      expect(Math.abs((sketch?.getValueAtQuantile(q) ?? NaN) - exact)).toBeLessThanOrEqual(0.01 * exact * (1 + 1e-9));
    }
    expect(series?.rolled.total.count).toBe(2000);
  });

  it('ignores a span it has just seen (a retried export) but counts a new one', () => {
    const { metrics } = withClock(NOW);
    const span = requestSpan({ startMs: NOW - MIN, durationMs: 5 });
    metrics.onSpans([span]);
    metrics.onSpans([span, requestSpan({ startMs: NOW - MIN, durationMs: 5 })]);
    expect(metrics.totals()[0]?.totals.count).toBe(2);
    expect(metrics.stats().duplicates).toBe(1);
  });

  it('evicts buckets that ended more than the horizon ago, keeping the counters', () => {
    const { metrics, clock } = withClock(NOW, { horizonMs: HOUR });
    metrics.onSpans([
      requestSpan({ startMs: NOW - 50 * MIN, durationMs: 5 }),
      requestSpan({ startMs: NOW - 10 * MIN, durationMs: 5 }),
    ]);
    expect(metrics.stats().buckets).toBe(2);
    clock.now = NOW + 15 * MIN; // the first bucket ended 65 minutes ago
    metrics.onSpans([]);
    expect(metrics.stats().buckets).toBe(1);
    expect(metrics.query({}, everything)[0]?.rolled.total.count).toBe(1);
    expect(metrics.totals()[0]?.totals.count).toBe(2);
    expect(metrics.retainedFromMs()).toBe(NOW + 15 * MIN - 30_000 - HOUR + MIN);
  });

  it.each([
    ['older than the horizon', -2 * HOUR],
    ['more than a horizon in the future', 2 * HOUR],
  ])('counts a span %s in the totals only', (_, offset) => {
    const { metrics } = withClock(NOW, { horizonMs: HOUR });
    metrics.onSpans([requestSpan({ startMs: NOW + offset, durationMs: 5 })]);
    expect(metrics.stats()).toMatchObject({ buckets: 0, outsideHorizon: 1 });
    expect(metrics.totals()[0]?.totals.count).toBe(1);
  });

  it('folds series beyond maxSeries into one overflow series, so totals stay right', () => {
    const { metrics } = withClock(NOW, { maxSeries: 2 });
    metrics.onSpans(['a', 'b', 'c', 'd', 'c'].map((op) => requestSpan({ startMs: NOW, durationMs: 1, operation: op })));
    const counts = metrics.totals().map((t) => [t.key.operation, t.totals.count]);
    expect(counts).toEqual([
      [OVERFLOW_SERIES.operation, 3],
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('merges the recent window per series for the quantile gauges', () => {
    const { metrics } = withClock(NOW, { quantileWindowMs: 5 * MIN });
    metrics.onSpans([
      requestSpan({ startMs: NOW - 20 * MIN, durationMs: 1000 }),
      requestSpan({ startMs: NOW - 3 * MIN, durationMs: 10 }),
      requestSpan({ startMs: NOW - MIN, durationMs: 10 }),
    ]);
    const [recent] = metrics.recentWindow(5 * MIN);
    expect(recent?.bucket.count).toBe(2);
    expect(recent?.bucket.sketch.max).toBe(10);
  });

  it('rebuilds from stored spans to the same figures as live ingest', () => {
    const spans = Array.from({ length: 300 }, (_, i) =>
      requestSpan({
        startMs: NOW - 40 * MIN + i * 7_000,
        durationMs: 1 + (i % 50),
        error: i % 9 === 0,
        version: String(i % 3),
      }),
    );
    const live = withClock(NOW).metrics;
    for (let i = 0; i < spans.length; i += 64) live.onSpans(spans.slice(i, i + 64));
    const rebuilt = withClock(NOW).metrics;
    rebuilt.onSpans([requestSpan({ startMs: NOW, durationMs: 1, service: 'state-from-before' })]);
    expect(rebuilt.rebuildFrom(spans)).toBe(300);
    const view = (m: LatencyMetrics) =>
      m
        .query({}, everything)
        .map((s) => [
          s.key,
          s.rolled.steps.map((b) => [b.startMs, b.count, b.errors, b.sketch.getValueAtQuantile(0.9)]),
        ]);
    expect(view(rebuilt)).toEqual(view(live));
  });
});

describe('LatencyMetrics memory bound', () => {
  it('holds no more than maxBuckets buckets and counts the spans left out, which still reach the totals', () => {
    const { metrics, clock } = withClock(NOW, { maxBuckets: 3, horizonMs: HOUR });
    metrics.onSpans([0, 1, 2, 3, 4].map((m) => requestSpan({ startMs: NOW - (10 - m) * MIN, durationMs: 1 })));
    expect(metrics.stats()).toMatchObject({ buckets: 3, bucketLimited: 2 });
    expect(metrics.totals()[0]?.totals.count).toBe(5);
    clock.now = NOW + 52 * MIN; // two of the three buckets are now past the horizon
    metrics.onSpans([requestSpan({ startMs: clock.now, durationMs: 1 })]);
    expect(metrics.stats()).toMatchObject({ buckets: 2, bucketLimited: 2 });
  });
});
