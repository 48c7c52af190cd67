import { ML } from '../../shared/attribute-keys.js';
import { AppError } from '../../shared/errors.js';
import { isFeatureAttribute, rowValue, selectRows, spanRows } from './captured-rows.js';
import { FeatureColumns, type Column } from './dataset-columns.js';
import type { DatasetQuery } from './dataset-query.js';
import { DEFAULT_PAGE_SPANS, type DatasetSource } from './dataset-source.js';
import type { DriftWindows } from './drift-windows.js';
import { spanPages, type SpanPageQuery } from './span-pages.js';

/**
 * The plan of an export: resolves the range (the `since` cut-off), reads the drift state of each
 * window when the selection needs it, and fixes the column set and types (dataset-columns.ts) —
 * from the column registry when it covers the range (column-registry.ts), else by a first pass
 * over the range, which also counts the rows the filters keep (before `labeled=only`, whose labels
 * may still arrive). The rows are then written with the columns declared here (dataset-rows.ts);
 * a feature that arrives after the plan adds no column (its values are counted as dropped).
 */
export interface DatasetPlan {
  query: DatasetQuery;
  /** When `since=last-drift-resolved` moved the start: that time (ms); null when it did not apply. */
  cutoffMs: number | null;
  columns: Column[];
  drift: DriftWindows | undefined;
  excluded: ReadonlySet<string>;
  /** Rows the filters keep, counted in a first pass (an upper bound with labeled=only); undefined without one. */
  expectedRows: number | undefined;
  /** Captured values the sidecar's privacy rules changed, as the spans record them (`ml.privacy.redacted`). */
  redacted: string[];
}

export function pageQuery(q: DatasetQuery): SpanPageQuery {
  return {
    model: q.model,
    startNano: BigInt(q.range.startMs) * 1_000_000n,
    endNano: BigInt(q.range.endMs) * 1_000_000n,
    ...(q.version === undefined ? {} : { version: q.version }),
  };
}

function applyCutoff(source: DatasetSource, q: DatasetQuery): { query: DatasetQuery; cutoffMs: number | null } {
  if (!q.sinceLastDriftResolved) return { query: q, cutoffMs: null };
  const resolved = source.lastDriftResolvedMs?.(q.model);
  if (resolved === undefined || resolved <= q.range.startMs) return { query: q, cutoffMs: null };
  // Past the end: an empty range, still a dataset (with its header).
  const startMs = Math.min(resolved, q.range.endMs);
  return { query: { ...q, range: { startMs, endMs: q.range.endMs } }, cutoffMs: resolved };
}

export async function planDataset(source: DatasetSource, asked: DatasetQuery): Promise<DatasetPlan> {
  const { query, cutoffMs } = applyCutoff(source, asked);
  let drift: DriftWindows | undefined;
  if (query.drift !== 'keep') {
    if (source.driftWindows === undefined)
      throw new AppError('invalid_parameter', `drift=${query.drift} needs the drift pipeline, which is not running`);
    if (query.range.startMs < query.range.endMs) drift = await source.driftWindows(query);
  }
  const excluded = source.excludedSubjects?.() ?? new Set<string>();
  const known = source.columns?.columns(query.model, query.version, query.range.startMs, query.range.endMs);
  const { features, redacted, expectedRows } =
    known === undefined
      ? await firstPass(source, query, drift, excluded)
      : { features: known.features, redacted: new Set(known.redacted), expectedRows: undefined };
  if (query.labeled !== 'none') {
    const range = { model: query.model, fromMs: query.range.startMs, toMs: query.range.endMs };
    for (const record of source.feedback.scan(
      query.version === undefined ? range : { ...range, version: query.version },
    ))
      features.observeLabel(record.truth.kind === 'label' ? record.truth.label : record.truth.value);
  }
  return {
    query,
    cutoffMs,
    columns: features.columns({ label: query.labeled !== 'none', drifted: query.drift === 'mark' }),
    drift,
    excluded,
    expectedRows,
    redacted: [...redacted].sort(),
  };
}

/** Reads the range once: the columns and types of the rows the filters keep, and how many rows that is. */
async function firstPass(
  source: DatasetSource,
  query: DatasetQuery,
  drift: DriftWindows | undefined,
  excluded: ReadonlySet<string>,
): Promise<{ features: FeatureColumns; redacted: Set<string>; expectedRows: number }> {
  const features = new FeatureColumns();
  const redacted = new Set<string>();
  let expectedRows = 0;
  const selection = { slices: query.slices, excluded };
  for await (const page of spanPages(source.spans, pageQuery(query), source.pageSpans ?? DEFAULT_PAGE_SPANS)) {
    for (const span of page) {
      if (query.drift === 'drop' && drift?.at(Number(span.startNano / 1_000_000n))?.drifted === true) continue;
      const rows = spanRows(span.attributes);
      const kept = selectRows(span, rows, selection);
      if (kept.length === 0) continue;
      expectedRows += kept.length;
      const r = span.attributes[ML.privacyRedacted];
      if (Array.isArray(r)) for (const x of r) redacted.add(String(x));
      else if (typeof r === 'string') redacted.add(r);
      for (const key in span.attributes) {
        if (!isFeatureAttribute(key)) continue;
        const v = span.attributes[key];
        const output = key.startsWith(ML.outputPrefix);
        for (const row of kept) features.observe(key, output, rowValue(v, row, rows));
      }
    }
  }
  return { features, redacted, expectedRows };
}
