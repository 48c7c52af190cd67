import { describe, expect, it } from 'vitest';
import { newBucket, observe, type LatencyBucket } from '../../../../collector/metrics/latency/latency-bucket.js';
import { DEFAULT_LATENCY_OPTIONS } from '../../../../collector/metrics/latency/latency-options.js';
import { alignDown, rollUp } from '../../../../collector/metrics/latency/step-series.js';

const spec = DEFAULT_LATENCY_OPTIONS;
const MIN = 60_000;

/** One-minute buckets, bucket i starting at minute i holding i+1 requests of (i+1) ms. */
function minuteBuckets(minutes: number[]): LatencyBucket[] {
  return minutes.map((m) => {
    const b = newBucket(m * MIN, spec);
    for (let k = 0; k <= m; k++) observe(b, m + 1, k === 0, `t${m}`, `s${m}`, m * MIN);
    return b;
  });
}

describe('alignDown', () => {
  it.each([
    [0, MIN, 0],
    [59_999, MIN, 0],
    [60_000, MIN, 60_000],
    [-1, MIN, -60_000],
    [1_718_000_123_456, 300_000, 1_718_000_100_000],
  ])('alignDown(%d, %d) = %d', (t, w, expected) => {
    expect(alignDown(t, w)).toBe(expected);
  });
});

describe('rollUp', () => {
  const buckets = minuteBuckets([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const requestsIn = (minutes: number[]): number => minutes.reduce((n, m) => n + m + 1, 0);

  it.each([
    {
      name: 'one step per bucket',
      start: 0,
      end: 10 * MIN,
      step: MIN,
      steps: [[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]],
    },
    {
      name: '5-minute steps',
      start: 0,
      end: 10 * MIN,
      step: 5 * MIN,
      steps: [
        [0, 1, 2, 3, 4],
        [5, 6, 7, 8, 9],
      ],
    },
    {
      name: 'start inside a step takes the whole step',
      start: 3 * MIN + 1,
      end: 10 * MIN,
      step: 5 * MIN,
      steps: [
        [0, 1, 2, 3, 4],
        [5, 6, 7, 8, 9],
      ],
    },
    { name: 'end is exclusive', start: 2 * MIN, end: 5 * MIN, step: MIN, steps: [[2], [3], [4]] },
    {
      name: 'the step containing end - 1 is included whole',
      start: 0,
      end: 5 * MIN + 1,
      step: 5 * MIN,
      steps: [
        [0, 1, 2, 3, 4],
        [5, 6, 7, 8, 9],
      ],
    },
    { name: 'a range with no buckets', start: 20 * MIN, end: 30 * MIN, step: MIN, steps: [] },
  ])('$name', ({ start, end, step, steps }) => {
    const rolled = rollUp(buckets, { startMs: start, endMs: end, stepMs: step }, spec);
    expect(rolled.steps.map((b) => b.startMs)).toEqual(steps.map((ms) => alignDown((ms[0] as number) * MIN, step)));
    expect(rolled.steps.map((b) => b.count)).toEqual(steps.map(requestsIn));
    expect(rolled.steps.map((b) => b.errors)).toEqual(steps.map((ms) => ms.length));
    expect(rolled.total.count).toBe(requestsIn(steps.flat()));
  });

  it('skips empty buckets and keeps the latest exemplar of each step', () => {
    const withEmpty = [...minuteBuckets([0, 1]), newBucket(2 * MIN, spec)];
    const rolled = rollUp(withEmpty, { startMs: 0, endMs: 3 * MIN, stepMs: 3 * MIN }, spec);
    expect(rolled.steps).toHaveLength(1);
    expect(rolled.steps[0]?.exemplar?.traceId).toBe('t1');
  });
});
