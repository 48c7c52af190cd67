import { describe, expect, it } from 'vitest';
import {
  QUANTILES,
  mergeBuckets,
  newBucket,
  observe,
  summarise,
  type LatencyBucket,
} from '../../../../collector/metrics/latency/latency-bucket.js';
import { DEFAULT_LATENCY_OPTIONS } from '../../../../collector/metrics/latency/latency-options.js';
import { exactQuantile, seededRandom } from './latency-spans.js';

const spec = DEFAULT_LATENCY_OPTIONS;
const alpha = spec.relativeAccuracy;

// Distributions of durations (ms) shaped like real serving latencies, and awkward edge cases.
const distributions: [string, (r: () => number, i: number) => number][] = [
  ['uniform 1–100 ms', (r) => 1 + 99 * r()],
  [
    'log-normal around 20 ms',
    (r) => 20 * Math.exp(0.8 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r())),
  ],
  ['bimodal cache hit / miss', (r) => (r() < 0.8 ? 2 + r() : 250 + 50 * r())],
  ['heavy tail (Pareto)', (r) => 5 / Math.pow(1 - r(), 1 / 1.5)],
  ['sub-millisecond', (r) => 0.001 + 0.05 * r()],
  ['constant 42 ms', () => 42],
  ['with zero durations', (r, i) => (i % 10 === 0 ? 0 : 10 * r())],
];

function fill(values: number[]): LatencyBucket {
  const b = newBucket(0, spec);
  values.forEach((v, i) => observe(b, v, i % 7 === 0, `t${i}`, `s${i}`, i));
  return b;
}

function expectWithinBound(estimate: number | null, exact: number): void {
  expect(estimate).not.toBeNull();
  // DDSketch's guarantee, plus a hair for floating-point rounding in the log mapping.
  expect(Math.abs((estimate as number) - exact)).toBeLessThanOrEqual(alpha * exact * (1 + 1e-9) + 1e-12);
}

describe('latency bucket quantiles', () => {
  it.each(distributions)(
    '%s: p50/p90/p95/p99 are within the stated relative error of the exact quantiles',
    (_, gen) => {
      const r = seededRandom(7);
      const values = Array.from({ length: 5000 }, (_, i) => gen(r, i));
      const summary = summarise(fill(values));
      const sorted = [...values].sort((a, b) => a - b);
      const byName = { 0.5: summary.p50, 0.9: summary.p90, 0.95: summary.p95, 0.99: summary.p99 };
      for (const q of QUANTILES) expectWithinBound(byName[q], exactQuantile(sorted, q));
      expect(summary.count).toBe(values.length);
      expect(summary.meanMs).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
    },
  );

  it.each(distributions)('%s: merging split buckets gives the counts and quantile bounds of the whole', (_, gen) => {
    const r = seededRandom(11);
    const values = Array.from({ length: 3000 }, (_, i) => gen(r, i));
    const parts = [values.slice(0, 100), values.slice(100, 1700), values.slice(1700)].map(fill);
    const merged = summarise(mergeBuckets(0, parts, spec));
    const sorted = [...values].sort((a, b) => a - b);
    expect(merged.count).toBe(values.length);
    expect(merged.errors).toBe(parts.reduce((n, p) => n + p.errors, 0));
    expectWithinBound(merged.p50, exactQuantile(sorted, 0.5));
    expectWithinBound(merged.p99, exactQuantile(sorted, 0.99));
  });
});

describe('latency bucket counts and exemplars', () => {
  it.each([
    { requests: 10, errorEvery: 0, errors: 0 },
    { requests: 10, errorEvery: 2, errors: 5 },
    { requests: 3, errorEvery: 1, errors: 3 },
  ])('$requests requests, every $errorEvery-th failing: $errors errors', ({ requests, errorEvery, errors }) => {
    const b = newBucket(0, spec);
    for (let i = 1; i <= requests; i++) observe(b, i, errorEvery > 0 && i % errorEvery === 0, `t${i}`, `s${i}`, i);
    const s = summarise(b);
    expect(s.errors).toBe(errors);
    expect(s.errorRate).toBeCloseTo(errors / requests, 12);
  });

  it('keeps the latest request (by end time) as the exemplar, and the latest failing one apart', () => {
    const b = newBucket(0, spec);
    observe(b, 5, true, 'early-error', 's1', 100);
    observe(b, 7, false, 'latest', 's2', 300);
    observe(b, 9, false, 'late-arriving-but-older', 's3', 200);
    const s = summarise(b);
    expect(s.exemplar).toEqual({ traceId: 'latest', spanId: 's2', durationMs: 7 });
    expect(s.errorExemplar).toEqual({ traceId: 'early-error', spanId: 's1', durationMs: 5 });
  });

  it('an empty bucket has no quantiles and an error rate of 0', () => {
    const s = summarise(newBucket(0, spec));
    expect([s.count, s.errorRate, s.p50, s.p99, s.meanMs, s.exemplar]).toEqual([0, 0, null, null, null, null]);
  });

  it('merging leaves the parts unchanged', () => {
    const a = fill([1, 2, 3]);
    const b = fill([10, 20]);
    const merged = mergeBuckets(0, [a, b], spec);
    observe(merged, 1000, false, 'x', 'y', 1e6);
    expect([a.count, b.count, a.sketch.count, b.sketch.count]).toEqual([3, 2, 3, 2]);
    expect(a.exemplar?.traceId).toBe('t2');
  });
});
