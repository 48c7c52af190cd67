import { AppError } from '../../shared/errors.js';
import { parseDurationMs } from '../../shared/time.js';
import { DRIFT_ERRORS } from './drift-errors.js';
import type { FeatureJson, ReferenceJson } from './drift-json.js';
import { parseDriftQuery, type DriftQuery, type RawDriftQuery } from './drift-query.js';
import type { DriftService } from './drift-service.js';

/**
 * `GET /api/drift/series`: the drift of every feature at each step of a range, each step compared
 * with the chosen reference (with `previous`, the step just before it) — what a chart of "the
 * statistic over time against its threshold" needs. Each step is one drift report from the stored
 * summaries, without exemplars; steps without observations are `null` points.
 */
export interface RawSeriesQuery extends Omit<RawDriftQuery, 'slice' | 'exemplars'> {
  step?: string;
  feature?: string;
}

export const SERIES_PARAMETERS = ['model', 'version', 'window', 'start', 'end', 'reference', 'step', 'feature'] as const;
/** At most this many steps per answer, so one query cannot ask for thousands of reports. */
export const MAX_SERIES_STEPS = 500;

export interface SeriesQuery {
  base: DriftQuery;
  stepMs: number;
  /** Only this feature (e.g. `input.age`); absent: every feature. */
  feature?: string;
}

export interface SeriesPoint {
  start: number;
  end: number;
  observations: number;
  statistic: number | null;
  pValue: number | null;
  drifted: boolean;
  evaluated: boolean;
  missingRate: number | null;
}

export interface FeatureSeries {
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
  /** Per step: dataset drift (null where the step had no observations). */
  datasetDrift: ({ start: number; driftedShare: number; datasetDrift: boolean } | null)[];
  features: FeatureSeries[];
}

export type SeriesQueryResult = { ok: true; query: SeriesQuery } | { ok: false; message: string };

/** Parses the query: the window as in `/api/drift` (default 24h here), and `step` (default 1h). */
export function parseSeriesQuery(raw: RawSeriesQuery, nowMs: number): SeriesQueryResult {
  const base = parseDriftQuery({ ...raw, window: raw.start === undefined ? (raw.window ?? '24h') : raw.window }, nowMs, 0);
  if (!base.ok) return { ok: false, message: base.message };
  const stepMs = parseDurationMs(raw.step ?? '1h');
  if (stepMs === undefined || stepMs < 1000) return { ok: false, message: `step must be a duration of at least 1s such as 5m, 1h or 1d, got "${raw.step}"` };
  const span = base.query.range.endMs - base.query.range.startMs;
  const steps = Math.ceil(span / stepMs);
  if (steps > MAX_SERIES_STEPS) {
    return { ok: false, message: `the range holds ${steps} steps of ${raw.step ?? '1h'}; at most ${MAX_SERIES_STEPS} are allowed: widen step or narrow the range` };
  }
  const query: SeriesQuery = { base: { ...base.query, exemplars: 0 }, stepMs: Math.round(stepMs) };
  if (raw.feature !== undefined && raw.feature !== '') query.feature = raw.feature;
  return { ok: true, query };
}

export async function driftSeries(service: DriftService, q: SeriesQuery): Promise<SeriesAnswer> {
  const { startMs, endMs } = q.base.range;
  const features = new Map<string, FeatureSeries>();
  const datasetDrift: SeriesAnswer['datasetDrift'] = [];
  let reference: ReferenceJson | null = null;
  let index = 0;
  for (let s = startMs; s < endMs; s += q.stepMs, index += 1) {
    const range = { startMs: s, endMs: Math.min(s + q.stepMs, endMs) };
    let answer;
    try {
      answer = await service.report({ ...q.base, range });
    } catch (err) {
      if (err instanceof AppError && err.code === DRIFT_ERRORS.noObservations.code) {
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
    throw new AppError(DRIFT_ERRORS.invalidQuery, `feature "${q.feature}" was not observed for model "${q.base.model}" in the range`);
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
