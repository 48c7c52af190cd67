import { AppError } from '../../shared/errors.js';
import { driftSeries, parseSeriesQuery } from '../drift/drift-series.js';
import type { DriftService } from '../drift/drift-service.js';
import type { DatasetQuery } from './dataset-query.js';

/**
 * The drift state of each window of a dataset's range: the drift series (`/api/drift/series`) with
 * `drift_window` as its step, each window compared with the query's reference (by default the
 * model's stored reference, else the window before). A window is drifted when the series found
 * dataset drift in it; `null` when it had no observations or could not be compared.
 */
interface WindowState {
  startMs: number;
  endMs: number;
  drifted: boolean | null;
  /** Share of the features that drifted; null when not compared. */
  driftedShare: number | null;
}

export interface DriftWindows {
  windows: WindowState[];
  /** The state of the window holding this time (ms); undefined outside the range. */
  at(ms: number): WindowState | undefined;
}

export async function driftWindows(service: DriftService, q: DatasetQuery, nowMs: number): Promise<DriftWindows> {
  const step = `${q.driftWindowMs}ms`;
  const parsed = parseSeriesQuery(
    {
      model: q.model,
      start: String(q.range.startMs),
      end: String(q.range.endMs),
      step,
      ...(q.version === undefined ? {} : { version: q.version }),
      ...(q.reference === undefined ? {} : { reference: q.reference }),
    },
    nowMs,
  );
  if (!parsed.ok) throw new AppError('invalid_parameter', `drift_window: ${parsed.message}`);
  const series = await driftSeries(service, parsed.query);
  const windows: WindowState[] = series.datasetDrift.map((d, i) => {
    const startMs = series.start + i * series.step;
    return {
      startMs,
      endMs: startMs + series.step,
      drifted: d === null ? null : d.datasetDrift,
      driftedShare: d === null ? null : d.driftedShare,
    };
  });
  return {
    windows,
    at(ms) {
      const i = Math.floor((ms - series.start) / series.step);
      return windows[i];
    },
  };
}
