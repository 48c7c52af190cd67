import type { ExportStats } from './dataset-rows.js';
import type { DatasetPlan } from './dataset-plan.js';
import { datasetPath, datasetQueryParameters } from './dataset-query.js';
import type { DriftWindows } from './drift-windows.js';

/**
 * What a dataset records about itself, so it can be reproduced and audited: the query with its
 * range pinned (and the path that fetches the same rows again), the row counts, the time range,
 * the columns, the drift state of each window, and the privacy rules in force.
 */
export interface DatasetManifest {
  version: 1;
  model: string;
  createdAt: string;
  query: Record<string, string | string[]>;
  path: string;
  format: string;
  rows: number;
  labeledRows: number;
  spans: number;
  timeRange: { start: string; end: string; firstRow: string | null; lastRow: string | null };
  cutoff: { sinceLastDriftResolved: boolean; resolvedAt: string | null };
  columns: { name: string; type: string }[];
  leftOut: { driftedWindowRows: number; unlabeledRows: number; excludedSubjectRows: number; droppedValues: number };
  drift: {
    selection: string;
    windowMs: number;
    windows: { start: string; end: string; drifted: boolean | null; driftedShare: number | null }[] | null;
    note?: string;
  };
  privacy: {
    erasedSubjects: string;
    excludedSubjects: number;
    pseudonymised: string;
    redactedBySidecar: string[];
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function datasetManifest(input: {
  plan: DatasetPlan;
  stats: ExportStats;
  windows: DriftWindows | undefined;
  driftNote: string | undefined;
  createdMs: number;
}): DatasetManifest {
  const { plan, stats, windows } = input;
  const q = plan.query;
  const parameters = datasetQueryParameters(q);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of parameters) {
    const had = query[k];
    query[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return {
    version: 1,
    model: q.model,
    createdAt: iso(input.createdMs),
    query,
    path: datasetPath(q.model, parameters),
    format: q.format,
    rows: stats.rows,
    labeledRows: stats.labeledRows,
    spans: stats.spans,
    timeRange: {
      start: iso(q.range.startMs),
      end: iso(q.range.endMs),
      firstRow: stats.firstMs === null ? null : iso(stats.firstMs),
      lastRow: stats.lastMs === null ? null : iso(stats.lastMs),
    },
    cutoff: {
      sinceLastDriftResolved: q.sinceLastDriftResolved,
      resolvedAt: plan.cutoffMs === null ? null : iso(plan.cutoffMs),
    },
    columns: plan.columns.map((c) => ({ name: c.name, type: c.type })),
    leftOut: {
      driftedWindowRows: stats.driftDroppedRows,
      unlabeledRows: stats.unlabeledRows,
      excludedSubjectRows: stats.excludedSubjectRows,
      droppedValues: stats.droppedValues,
    },
    drift: {
      selection: q.drift,
      windowMs: q.driftWindowMs,
      windows:
        windows === undefined
          ? null
          : windows.windows.map((w) => ({
              start: iso(w.startMs),
              end: iso(w.endMs),
              drifted: w.drifted,
              driftedShare: w.driftedShare,
            })),
      ...(input.driftNote === undefined ? {} : { note: input.driftNote }),
    },
    privacy: {
      erasedSubjects: 'erased subjects have no rows: erasure deletes their spans and feedback',
      excludedSubjects: plan.excluded.size,
      pseudonymised: 'values the sidecar pseudonymised stay pseudonyms; enduser.pseudo.id itself is not a column',
      redactedBySidecar: plan.redacted,
    },
  };
}
