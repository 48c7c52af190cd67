import { AppError } from '../../shared/errors.js';
import { parseDurationMs } from '../../shared/units.js';
import type { FeatureJson, ReferenceJson } from './drift-json.js';
import { parseDriftQuery, type DriftQuery, type RawDriftQuery } from './drift-query.js';
import type { DriftService } from './drift-service.js';
import { windowsFromRows, type WindowData } from './window-data.js';

/**
 * `GET /api/drift/series`: the drift of every feature at each step of a range, each step compared
 * with the chosen reference (with `previous`, the step just before it) — what a chart of "the
 * statistic over time against its threshold" needs. Each step is one drift report from the stored
 * summaries, without exemplars; steps without observations are `null` points. Steps are aligned
 * to the epoch (the first holds `start`, the last holds `end`).
 */
export interface RawSeriesQuery extends Omit<RawDriftQuery, 'slice' | 'exemplars'> {
  step?: string;
  feature?: string;
}

export const SERIES_PARAMETERS = [
  'model',
  'version',
  'window',
  'start',
  'end',
  'reference',
  'step',
  'feature',
] as const;
/** At most this many steps per answer, so one query cannot ask for thousands of reports. */
const MAX_SERIES_STEPS = 500;

export interface SeriesQuery {
  base: DriftQuery;
  stepMs: number;
  /** Only this feature (e.g. `input.age`); absent: every feature. */
  feature?: string;
}

interface SeriesPoint {
  start: number;
  end: number;
  observations: number;
  statistic: number | null;
  pValue: number | null;
  drifted: boolean;
  evaluated: boolean;
  missingRate: number | null;
}

interface FeatureSeries {
  name: string;
  type: FeatureJson['type'];
  method: FeatureJson['method'];
  threshold: number | null;
  /** One entry per step; null where the step had no observations of the model. */
  points: (SeriesPoint | null)[];
}

export interface SeriesAnswer {
  model: string;
  version: string | null;
  start: number;
  end: number;
  step: number;
  reference: ReferenceJson | null;
  /** Per step: dataset drift (null where the step had no observations); with `feature=`, of that feature alone. */
  datasetDrift: ({ start: number; driftedShare: number; datasetDrift: boolean } | null)[];
  features: FeatureSeries[];
}

export type SeriesQueryResult = { ok: true; query: SeriesQuery } | { ok: false; message: string };

/** Parses the query: the window as in `/api/drift` (default 24h here), and `step` (default 1h). */
export function parseSeriesQuery(raw: RawSeriesQuery, nowMs: number): SeriesQueryResult {
  const base = parseDriftQuery(
    { ...raw, window: raw.start === undefined ? (raw.window ?? '24h') : raw.window },
    nowMs,
    0,
  );
  if (!base.ok) return { ok: false, message: base.message };
  const stepMs = parseDurationMs(raw.step ?? '1h');
  if (stepMs === undefined || stepMs < 1000)
    return { ok: false, message: `step must be a duration of at least 1s such as 5m, 1h or 1d, got "${raw.step}"` };
  // Steps are aligned to the epoch, as latency steps are: the first holds start, the last holds end.
  // Aligned hourly steps are whole summary buckets, so no step reads raw spans.
  const step = Math.round(stepMs);
  const startMs = Math.floor(base.query.range.startMs / step) * step;
  const endMs = Math.ceil(base.query.range.endMs / step) * step;
  const steps = (endMs - startMs) / step;
  if (steps > MAX_SERIES_STEPS) {
    return {
      ok: false,
      message: `the range holds ${steps} steps of ${raw.step ?? '1h'}; at most ${MAX_SERIES_STEPS} are allowed: widen step or narrow the range`,
    };
  }
  const query: SeriesQuery = { base: { ...base.query, range: { startMs, endMs }, exemplars: 0 }, stepMs: step };
  if (raw.feature !== undefined && raw.feature !== '') {
    query.feature = raw.feature;
    query.base.feature = raw.feature; // each step reports that feature alone: 1 comparison, not 50
  }
  return { ok: true, query };
}

/**
 * Steps that are whole summary buckets (aligned, a multiple of the bucket width) need no raw spans:
 * read them all, and the step before the first (its previous-window reference), in ONE read of the
 * stored summaries instead of one per step.
 */
function prefetchWholeSteps(service: DriftService, q: SeriesQuery): Map<string, Promise<WindowData>> {
  const { settings, stores } = service.deps;
  const width = settings.bucketWidthMs;
  const windows = new Map<string, Promise<WindowData>>();
  if (settings.enabled === false || q.stepMs % width !== 0) return windows;
  service.deps.flush?.();
  const ranges = [];
  for (let s = q.base.range.startMs - q.stepMs; s < q.base.range.endMs; s += q.stepMs)
    ranges.push({ startMs: s, endMs: s + q.stepMs });
  const version = q.base.version === undefined ? {} : { version: q.base.version };
  const rows = stores.summaries.read({
    model: q.base.model,
    ...version,
    fromMs: ranges[0]!.startMs,
    toMs: ranges.at(-1)!.endMs,
  });
  for (const [key, data] of windowsFromRows(rows, ranges, settings)) windows.set(key, Promise.resolve(data));
  return windows;
}

export async function driftSeries(service: DriftService, q: SeriesQuery): Promise<SeriesAnswer> {
  const { startMs, endMs } = q.base.range;
  const features = new Map<string, FeatureSeries>();
  const datasetDrift: SeriesAnswer['datasetDrift'] = [];
  let reference: ReferenceJson | null = null;
  const windows = prefetchWholeSteps(service, q);
  let index = 0;
  for (let s = startMs; s < endMs; s += q.stepMs, index += 1) {
    const range = { startMs: s, endMs: Math.min(s + q.stepMs, endMs) };
    let answer;
    try {
      answer = await service.report({ ...q.base, range }, windows);
      windows.delete(`${range.startMs - q.stepMs}/${range.startMs}`); // no later step needs it
    } catch (err) {
      if (err instanceof AppError && err.code === 'no_observations') {
        datasetDrift.push(null);
        continue;
      }
      throw err;
    }
    reference ??= answer.reference;
    datasetDrift.push({ start: s, driftedShare: answer.driftedShare, datasetDrift: answer.datasetDrift });
    for (const f of answer.features) {
      if (q.feature !== undefined && f.name !== q.feature) continue;
      let series = features.get(f.name);
      if (series === undefined) {
        series = { name: f.name, type: f.type, method: f.method, threshold: f.threshold, points: [] };
        features.set(f.name, series);
      }
      series.points[index] = {
        start: range.startMs,
        end: range.endMs,
        observations: f.current.count,
        statistic: f.statistic,
        pValue: f.pValue,
        drifted: f.drifted,
        evaluated: f.evaluated,
        missingRate: f.current.missingRate ?? null,
      };
    }
  }
  const steps = datasetDrift.length;
  for (const series of features.values()) {
    for (let i = 0; i < steps; i += 1) series.points[i] ??= null;
  }
  if (q.feature !== undefined && features.size === 0 && datasetDrift.some((d) => d !== null)) {
    throw new AppError(
      'invalid_parameter',
      `feature "${q.feature}" was not observed for model "${q.base.model}" in the range`,
    );
  }
  return {
    model: q.base.model,
    version: q.base.version ?? null,
    start: startMs,
    end: endMs,
    step: q.stepMs,
    reference,
    datasetDrift,
    features: [...features.values()].sort((a, b) => a.name.localeCompare(b.name)),
  };
}
