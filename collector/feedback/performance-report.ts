import { alignDown } from '../metrics/latency/step-series.js';
import type { FeedbackRecord } from './feedback-types.js';
import { labelDrift, type LabelDrift } from './label-drift.js';
import { addRecord, newAccumulator, score, type Score, type ScoreAccumulator } from './performance-metrics.js';

/**
 * Model performance over time (pure): records are grouped by model version and, when a slice key
 * is given, by that attribute's value (null when a record lacks it); each group is cut into
 * epoch-aligned steps of the prediction time. Every step in the range is listed, empty ones with
 * count 0, so charts show the gaps. Label drift of each step is measured against the group's
 * reference: its first step with labels (that step is marked `reference: true`).
 */
export interface PerformanceRange {
  startMs: number;
  endMs: number;
  stepMs: number;
}

interface PerformancePoint extends Score {
  start: number;
  reference?: true;
  labelDrift: LabelDrift | null;
}

export interface PerformanceSeries {
  version: string;
  slice: string | number | boolean | null;
  total: Score;
  /** Start of the reference step of label drift; null when no step has labels. */
  referenceStart: number | null;
  points: PerformancePoint[];
}

interface Group {
  version: string;
  slice: PerformanceSeries['slice'];
  total: ScoreAccumulator;
  steps: Map<number, ScoreAccumulator>;
}

function stepStarts(range: PerformanceRange): number[] {
  const out: number[] = [];
  for (let t = alignDown(range.startMs, range.stepMs); t < range.endMs; t += range.stepMs) out.push(t);
  return out;
}

function compareGroups(a: Group, b: Group): number {
  if (a.version !== b.version) return a.version < b.version ? -1 : 1;
  const x = a.slice === null ? '' : String(a.slice);
  const y = b.slice === null ? '' : String(b.slice);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function performanceReport(
  records: Iterable<FeedbackRecord>,
  range: PerformanceRange,
  sliceKey?: string,
): PerformanceSeries[] {
  const groups = new Map<string, Group>();
  for (const r of records) {
    if (r.predictionMs < range.startMs || r.predictionMs >= range.endMs) continue;
    const slice = sliceKey === undefined ? null : (r.slices[sliceKey] ?? null);
    const key = JSON.stringify([r.version, slice]);
    let g = groups.get(key);
    if (g === undefined) {
      g = { version: r.version, slice, total: newAccumulator(), steps: new Map() };
      groups.set(key, g);
    }
    const start = alignDown(r.predictionMs, range.stepMs);
    let acc = g.steps.get(start);
    if (acc === undefined) {
      acc = newAccumulator();
      g.steps.set(start, acc);
    }
    addRecord(acc, r);
    addRecord(g.total, r);
  }
  const starts = stepStarts(range);
  return [...groups.values()].sort(compareGroups).map((g) => {
    const refStart = starts.find((s) => {
      const a = g.steps.get(s);
      return a !== undefined && (a.labels.length > 0 || a.values.length > 0);
    });
    const ref = refStart === undefined ? undefined : g.steps.get(refStart);
    const points = starts.map((start): PerformancePoint => {
      const acc = g.steps.get(start) ?? newAccumulator();
      if (start === refStart) return { start, ...score(acc), reference: true, labelDrift: null };
      return { start, ...score(acc), labelDrift: ref === undefined ? null : (labelDrift(ref, acc) ?? null) };
    });
    return { version: g.version, slice: g.slice, total: score(g.total), referenceStart: refStart ?? null, points };
  });
}
