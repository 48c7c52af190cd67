import type { DriftDataset, FeatureData } from './report/feature-data.js';
import { CategoricalSummary } from './summaries/categorical-summary.js';
import { NumericSummary } from './summaries/numeric-summary.js';
import type { Summary } from './summaries/summary-codec.js';
import type { SummaryRow, SummaryStore } from './drift-store.js';
import { RawColumns } from './raw-columns.js';
import { mergeTyped, typedColumn, type SummarySettings } from './typed-summary.js';
import type { WindowSpanSource } from './window-spans.js';

/**
 * The data of one model over one time window, as a drift dataset. Whole time buckets inside the
 * window come from the stored summaries; the parts of the window finer than a bucket (its head and
 * tail, or all of a window shorter than a bucket) come from the stored spans' raw values. A window
 * built from raw values only is exact (statistics equal scipy's); one with summaries is estimated
 * (exact on lattice data, see the summaries' notes). Raw reads stop at `maxRawSpans` per window,
 * newest first; `complete: false` says so.
 */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

export interface WindowData {
  dataset: DriftDataset;
  range: TimeRange;
  /** Summary rows (bucket × feature) merged in. */
  summaryRows: number;
  rawSpans: number;
  /** Rows observed (the largest count + missing of any feature). */
  observations: number;
  complete: boolean;
}

export interface WindowDeps {
  summaries: SummaryStore;
  spans: WindowSpanSource;
  settings: SummarySettings & { bucketWidthMs: number; maxRawSpans: number; maxFeatures: number; enabled?: boolean };
}

export interface WindowQuery {
  model: string;
  version?: string;
  range: TimeRange;
}

const NS_PER_MS = 1_000_000n;

export async function collectWindow(deps: WindowDeps, q: WindowQuery): Promise<WindowData> {
  const { startMs, endMs } = q.range;
  const w = deps.settings.bucketWidthMs;
  // Without summaries (drift summaries switched off) every window is read from raw spans.
  const firstWhole = deps.settings.enabled === false ? endMs : Math.ceil(startMs / w) * w;
  const lastWholeEnd = deps.settings.enabled === false ? startMs : Math.floor(endMs / w) * w;
  const version = q.version === undefined ? {} : { version: q.version };
  const rows =
    firstWhole < lastWholeEnd
      ? deps.summaries.read({ model: q.model, ...version, fromMs: firstWhole, toMs: lastWholeEnd })
      : [];
  // Raw parts: the whole window when no bucket fits in it, else the head and the tail.
  const rawParts: TimeRange[] =
    firstWhole < lastWholeEnd
      ? [
          { startMs, endMs: firstWhole },
          { startMs: lastWholeEnd, endMs },
        ].filter((p) => p.startMs < p.endMs)
      : [{ startMs, endMs }];
  const columns = new RawColumns(deps.settings.maxFeatures);
  let complete = true;
  let budget = deps.settings.maxRawSpans;
  for (const part of rawParts) {
    const result = await deps.spans.scanModelSpans(
      {
        model: q.model,
        ...version,
        startNano: BigInt(part.startMs) * NS_PER_MS,
        endNano: BigInt(part.endMs) * NS_PER_MS,
      },
      budget,
      (span) => columns.addSpan(span.attributes),
    );
    budget -= result.visited;
    complete &&= result.complete;
  }
  const dataset =
    rows.length === 0
      ? datasetFromColumns(columns)
      : mergedDataset(
          rows.map((r) => [r.feature, r.summary]),
          columns,
          deps.settings,
        );
  return {
    dataset,
    range: q.range,
    summaryRows: rows.length,
    rawSpans: columns.spans,
    observations: observationsOf(dataset),
    complete,
  };
}

/**
 * Windows of whole buckets from summary rows read beforehand (one read for many adjacent windows,
 * as the drift series does), keyed `${startMs}/${endMs}`; rows outside every window are ignored.
 */
export function windowsFromRows(
  rows: readonly SummaryRow[],
  ranges: readonly TimeRange[],
  settings: SummarySettings,
): Map<string, WindowData> {
  const out = new Map<string, WindowData>();
  for (const range of ranges) {
    const inside = rows.filter((r) => r.bucketMs >= range.startMs && r.bucketMs + r.widthMs <= range.endMs);
    const dataset = mergedDataset(
      inside.map((r) => [r.feature, r.summary]),
      new RawColumns(0),
      settings,
    );
    out.set(`${range.startMs}/${range.endMs}`, {
      dataset,
      range,
      summaryRows: inside.length,
      rawSpans: 0,
      observations: observationsOf(dataset),
      complete: true,
    });
  }
  return out;
}

/** Raw columns as exact feature data (each feature typed by its majority, see typed-summary.ts). */
export function datasetFromColumns(columns: RawColumns): DriftDataset {
  const out: DriftDataset = {};
  for (const [feature, cells] of columns.cells) out[feature] = typedColumn(cells) as FeatureData;
  return out;
}

/** Raw values of one typed column as a summary. */
export function summaryOfCells(cells: Parameters<typeof typedColumn>[0], settings: SummarySettings): Summary {
  const column = typedColumn(cells);
  return column.type === 'numeric'
    ? NumericSummary.fromValues(column.values as (number | null)[])
    : CategoricalSummary.fromValues(column.values as (string | null)[], { maxCategories: settings.maxCategories });
}

function mergedDataset(rows: [string, Summary][], columns: RawColumns, settings: SummarySettings): DriftDataset {
  const byFeature = new Map<string, Summary>();
  for (const [feature, summary] of rows) {
    const have = byFeature.get(feature);
    byFeature.set(feature, have === undefined ? summary : mergeTyped(have, summary));
  }
  for (const [feature, cells] of columns.cells) {
    const raw = summaryOfCells(cells, settings);
    const have = byFeature.get(feature);
    byFeature.set(feature, have === undefined ? raw : mergeTyped(have, raw));
  }
  return Object.fromEntries(byFeature);
}

function observationsOf(dataset: DriftDataset): number {
  let n = 0;
  for (const d of Object.values(dataset)) {
    const total = 'values' in d ? d.values.length : d.count + d.missing;
    if (total > n) n = total;
  }
  return n;
}
