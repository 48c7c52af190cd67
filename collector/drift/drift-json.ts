import type { DriftReport } from './report/drift-report.js';
import type { FeatureDrift } from './report/feature-drift.js';
import type { Exemplar } from './exemplars.js';
import type { SliceValue } from './slices.js';
import type { WindowData } from './window-data.js';

/** The JSON shapes of `GET /api/drift` (documented in the drift API notes). */
export interface FeatureJson {
  name: string;
  type: FeatureDrift['type'];
  method: FeatureDrift['method'];
  statistic: number | null;
  pValue: number | null;
  threshold: number | null;
  drifted: boolean;
  evaluated: boolean;
  exact: boolean;
  statistics: Record<string, number>;
  reference: FeatureDrift['reference'];
  current: FeatureDrift['current'];
  flags: FeatureDrift['flags'];
  topMovedBins: FeatureDrift['topMovedBins'];
  exemplars: Exemplar[];
}

export interface ReportJson {
  datasetDrift: boolean;
  driftedShare: number;
  driftedCount: number;
  evaluatedCount: number;
  features: FeatureJson[];
}

export interface SideJson {
  start: number | null;
  end: number | null;
  observations: number;
  rawSpans: number;
  summaryRows: number;
  complete: boolean;
}

export interface ReferenceJson {
  kind: 'previous' | 'training' | 'window' | 'slice';
  /** Where the reference came from: the query, or the model's stored reference. */
  from: 'query' | 'stored';
  start?: number;
  end?: number;
  /** training: the stored profile's version ('' → null: every version) and upload time. */
  version?: string | null;
  uploadedAt?: string;
  /** slice: the slice value the others are compared with. */
  value?: SliceValue;
}

export interface SliceJson extends ReportJson {
  value: SliceValue;
  observations: number;
  referenceObservations: number;
}

export interface DriftAnswer extends ReportJson {
  model: string;
  version: string | null;
  window: { start: number; end: number };
  reference: ReferenceJson;
  data: { current: SideJson; reference: SideJson };
  driftShareThreshold: number;
  slices?: { key: string; omitted: number; values: SliceJson[] };
  notes: string[];
}

function featureJson(f: FeatureDrift): FeatureJson {
  return {
    name: f.name,
    type: f.type,
    method: f.method,
    statistic: f.statistic,
    pValue: f.pValue ?? null,
    threshold: f.threshold,
    drifted: f.drifted,
    evaluated: f.evaluated,
    exact: f.exact,
    statistics: f.statistics,
    reference: f.reference,
    current: f.current,
    flags: f.flags,
    topMovedBins: f.topMovedBins,
    exemplars: [],
  };
}

export function reportJson(r: DriftReport): ReportJson {
  return {
    datasetDrift: r.datasetDrift,
    driftedShare: r.driftedShare,
    driftedCount: r.driftedCount,
    evaluatedCount: r.evaluatedCount,
    features: r.features.map(featureJson),
  };
}

export function sideJson(
  w: Pick<WindowData, 'observations' | 'rawSpans' | 'summaryRows' | 'complete'> & { range?: WindowData['range'] },
): SideJson {
  return {
    start: w.range?.startMs ?? null,
    end: w.range?.endMs ?? null,
    observations: w.observations,
    rawSpans: w.rawSpans,
    summaryRows: w.summaryRows,
    complete: w.complete,
  };
}
