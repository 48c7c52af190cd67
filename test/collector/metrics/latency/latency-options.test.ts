import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LATENCY_OPTIONS,
  readLatencyOptions,
  resolveLatencyOptions,
} from '../../../../collector/metrics/latency/latency-options.js';
import { ConfigReader } from '../../../../shared/config.js';

describe('latency options', () => {
  it('defaults to 1-minute buckets, a 24-hour horizon and 1% relative accuracy', () => {
    expect(resolveLatencyOptions()).toMatchObject({
      bucketWidthMs: 60_000,
      horizonMs: 86_400_000,
      relativeAccuracy: 0.01,
    });
  });

  it.each([
    [{ bucketWidthMs: 0 }, /bucketWidthMs must be a positive whole number/],
    [{ horizonMs: 1000, bucketWidthMs: 60_000 }, /horizonMs must be at least bucketWidthMs/],
    [{ relativeAccuracy: 1 }, /relativeAccuracy must be between 0 and 1/],
    [{ histogramBoundsSeconds: [1, 0.5] }, /strictly ascending/],
    [{ histogramBoundsSeconds: [] }, /non-empty/],
    [{ maxSeries: 1.5 }, /maxSeries/],
  ])('refuses %j', (overrides, message) => {
    expect(() => resolveLatencyOptions(overrides)).toThrow(message);
  });

  it.each([
    [
      { INFERTRACE_LATENCY_BUCKET: '30s', INFERTRACE_LATENCY_HORIZON: '6h' },
      { bucketWidthMs: 30_000, horizonMs: 21_600_000 },
    ],
    [
      { INFERTRACE_LATENCY_MAX_SERIES: '50', INFERTRACE_LATENCY_QUANTILE_WINDOW: '1m' },
      { maxSeries: 50, quantileWindowMs: 60_000 },
    ],
    [{}, { bucketWidthMs: DEFAULT_LATENCY_OPTIONS.bucketWidthMs }],
  ])('reads %j from the environment', (env, expected) => {
    const reader = new ConfigReader({}, env);
    expect(readLatencyOptions(reader)).toMatchObject(expected);
    expect(reader.problems).toEqual([]);
  });

  it.each([
    [{ INFERTRACE_LATENCY_BUCKET: 'soon' }, /INFERTRACE_LATENCY_BUCKET must be a duration/],
    [{ INFERTRACE_LATENCY_BUCKET: '2h', INFERTRACE_LATENCY_HORIZON: '1h' }, /horizonMs must be at least bucketWidthMs/],
    [{ INFERTRACE_LATENCY_MAX_SERIES: '0' }, /INFERTRACE_LATENCY_MAX_SERIES must be a whole number/],
  ])('reports %j as a start-up problem', (env, message) => {
    const reader = new ConfigReader({}, env);
    readLatencyOptions(reader);
    expect(reader.problems.join('\n')).toMatch(message);
  });
});
