import type { ReferenceFeature, StoredReference } from '../drift-store.js';
import type { UploadColumns } from './reference-upload.js';
import { typedColumn, type SummarySettings } from '../typed-summary.js';
import { summaryOfCells } from '../window-data.js';
import type { DriftDataset, FeatureData } from '../report/feature-data.js';

/**
 * A training profile: each uploaded column becomes a summary (mergeable, compact) and, when it has
 * at most `rawCap` values, keeps those values too, so statistics against it are exact (scipy's).
 */
export function trainingReference(
  model: string,
  version: string,
  source: 'csv' | 'json',
  upload: UploadColumns,
  settings: SummarySettings & { referenceRawCap: number },
  nowMs: number,
): StoredReference {
  const features: ReferenceFeature[] = [...upload.columns]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, cells]) => {
      const summary = summaryOfCells(cells, settings);
      return cells.length <= settings.referenceRawCap
        ? { name, summary, hasRaw: true, raw: typedColumn(cells).values }
        : { name, summary, hasRaw: false };
    });
  return { kind: 'training', model, version, createdMs: nowMs, source, rows: upload.rows, features };
}

/** A training reference as a drift dataset: raw values where kept, else the summary. */
export function trainingDataset(reference: Extract<StoredReference, { kind: 'training' }>): DriftDataset {
  const out: DriftDataset = {};
  for (const f of reference.features) {
    out[f.name] = f.raw === undefined ? f.summary : ({ type: f.summary.type, values: f.raw } as FeatureData);
  }
  return out;
}

/** What GET /api/models/{model}/reference shows of a stored reference (no values). */
export function describeReference(r: StoredReference): Record<string, unknown> {
  const base = {
    model: r.model,
    version: r.version === '' ? null : r.version,
    kind: r.kind,
    createdAt: new Date(r.createdMs).toISOString(),
    keep: r.keep === true,
  };
  if (r.kind === 'window') return { ...base, start: r.startMs, end: r.endMs };
  return {
    ...base,
    source: r.source,
    rows: r.rows,
    features: r.features.map((f) => ({
      name: f.name,
      type: f.summary.type,
      count: f.summary.count,
      missing: f.summary.missing,
      rawValuesKept: f.hasRaw,
    })),
  };
}
