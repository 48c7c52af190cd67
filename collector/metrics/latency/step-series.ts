import { mergeBuckets, type LatencyBucket, type SketchSpec } from './latency-bucket.js';

/**
 * Rolls fine time buckets up into coarser steps. Steps are aligned to the Unix epoch and always
 * whole: the first is the one containing `startMs`, the last the one containing `endMs - 1`. `stepMs` must
 * be a whole multiple of the bucket width (also epoch-aligned), so every bucket falls in exactly one step.
 */
export interface StepRange {
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
}

export interface RolledUp {
  /** Non-empty steps only, in time order. */
  steps: LatencyBucket[];
  /** Everything in the range merged. */
  total: LatencyBucket;
}

/** Start of the epoch-aligned interval of width `width` containing `t` (also for t < 0). */
export function alignDown(t: number, width: number): number {
  return Math.floor(t / width) * width;
}

export function rollUp(buckets: Iterable<LatencyBucket>, range: StepRange, spec: SketchSpec): RolledUp {
  const first = alignDown(range.startMs, range.stepMs);
  const last = alignDown(range.endMs - 1, range.stepMs) + range.stepMs;
  const byStep = new Map<number, LatencyBucket[]>();
  for (const b of buckets) {
    if (b.startMs < first || b.startMs >= last || b.count === 0) continue;
    const step = alignDown(b.startMs, range.stepMs);
    const list = byStep.get(step);
    if (list === undefined) byStep.set(step, [b]);
    else list.push(b);
  }
  const steps = [...byStep.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([start, parts]) => mergeBuckets(start, parts, spec));
  return { steps, total: mergeBuckets(first, steps, spec) };
}
