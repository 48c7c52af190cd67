import { ML } from '../../shared/attribute-keys.js';
import type { AttributeValue } from '../../shared/span-record.js';
import { modelOf } from '../drift/captured-span.js';
import type { Truth } from '../feedback/feedback-types.js';
import { rowValue, selectRows, spanRows } from './captured-rows.js';
import { coerce, FIXED_COLUMNS } from './dataset-columns.js';
import type { DatasetPlan } from './dataset-plan.js';
import { pageQuery } from './dataset-plan.js';
import { DEFAULT_PAGE_SPANS, type DatasetSource } from './dataset-source.js';
import { spanPages } from './span-pages.js';

/**
 * The second pass of an export: one page of spans at a time becomes one batch of rows, column by
 * column in the plan's order. Labels are looked up per row as the row is written, so a label that
 * arrives while the export runs is in the dataset if its row was not written yet.
 */
export type CellValue = string | number | boolean | null;

export interface RowBatch {
  count: number;
  /** One array per column of the plan, `count` values each. */
  cells: CellValue[][];
}

export interface ExportStats {
  spans: number;
  rows: number;
  labeledRows: number;
  /** Rows left out because their window drifted (drift=drop). */
  driftDroppedRows: number;
  /** Rows left out because their subject is restricted or objects. */
  excludedSubjectRows: number;
  /** Rows left out for want of a label (labeled=only). */
  unlabeledRows: number;
  /** Values that did not fit their column's type, or of a column that arrived after the first pass: left empty. */
  droppedValues: number;
  firstMs: number | null;
  lastMs: number | null;
}

export const emptyStats = (): ExportStats => ({
  spans: 0,
  rows: 0,
  labeledRows: 0,
  driftDroppedRows: 0,
  excludedSubjectRows: 0,
  unlabeledRows: 0,
  droppedValues: 0,
  firstMs: null,
  lastMs: null,
});

const truthValue = (t: Truth): AttributeValue => (t.kind === 'label' ? t.label : t.value);

export async function* datasetBatches(
  source: DatasetSource,
  plan: DatasetPlan,
  stats: ExportStats = emptyStats(),
): AsyncGenerator<RowBatch> {
  const q = plan.query;
  const columns = plan.columns;
  const first = FIXED_COLUMNS.length;
  const labelAt = columns.findIndex((c) => c.name === 'label');
  const driftedAt = columns.findIndex((c) => c.name === 'drifted');
  const featureEnd = labelAt >= 0 ? labelAt : driftedAt >= 0 ? driftedAt : columns.length;
  const known = new Set(columns.slice(first, featureEnd).map((c) => c.attribute));
  const noSubjects = { slices: q.slices, excluded: new Set<string>() };
  const selection = { slices: q.slices, excluded: plan.excluded };
  const attributes = columns.slice(first, featureEnd).map((c) => c.attribute!);
  const types = columns.slice(first, featureEnd).map((c) => c.type);

  for await (const page of spanPages(source.spans, pageQuery(q), source.pageSpans ?? DEFAULT_PAGE_SPANS)) {
    const cells: CellValue[][] = columns.map(() => []);
    const labelOf = labelAt >= 0 ? pageLabels(source, q.model, page) : undefined;
    let count = 0;
    for (const span of page) {
      const ms = Number(span.startNano / 1_000_000n);
      const window = plan.drift?.at(ms);
      const rows = spanRows(span.attributes);
      if (q.drift === 'drop' && window?.drifted === true) {
        stats.driftDroppedRows += selectRows(span, rows, selection).length;
        continue;
      }
      let kept = selectRows(span, rows, selection);
      if (plan.excluded.size > 0) stats.excludedSubjectRows += selectRows(span, rows, noSubjects).length - kept.length;
      const requestId = span.attributes[ML.requestId];
      const request = typeof requestId === 'string' ? requestId : null;
      let labels: (AttributeValue | undefined)[] | undefined;
      if (labelAt >= 0) {
        labels = kept.map((row) => (request === null ? undefined : labelOf!.get(`${row}/${request}`)));
        if (q.labeled === 'only') {
          const before = kept.length;
          kept = kept.filter((_, i) => labels![i] !== undefined);
          labels = labels.filter((l) => l !== undefined);
          stats.unlabeledRows += before - kept.length;
        }
      }
      if (kept.length === 0) continue;
      stats.spans += 1;
      const version = modelOf(span).version;
      for (let i = 0; i < kept.length; i++) {
        const row = kept[i]!;
        cells[0]!.push(ms);
        cells[1]!.push(request);
        cells[2]!.push(span.traceId);
        cells[3]!.push(version);
        cells[4]!.push(row);
        for (let f = 0; f < attributes.length; f++) {
          const v = coerce(rowValue(span.attributes[attributes[f]!], row, rows), types[f]!);
          if (v === undefined) stats.droppedValues += 1;
          cells[first + f]!.push(v ?? null);
        }
        if (labelAt >= 0) {
          const label = labels![i];
          const v = coerce(label, columns[labelAt]!.type);
          if (v === undefined) stats.droppedValues += 1;
          if (label !== undefined) stats.labeledRows += 1;
          cells[labelAt]!.push(v ?? null);
        }
        if (driftedAt >= 0) cells[driftedAt]!.push(window?.drifted ?? null);
      }
      for (const key in span.attributes) {
        if ((key.startsWith(ML.inputPrefix) || key.startsWith(ML.outputPrefix)) && !known.has(key))
          stats.droppedValues += kept.length;
      }
      count += kept.length;
      stats.rows += kept.length;
      stats.firstMs ??= ms;
      stats.lastMs = ms;
    }
    if (count > 0) yield { count, cells };
  }
}

/**
 * The labels of a page's rows, read in one scan of the feedback joined in the page's time span
 * (a label's prediction time is its span's start), keyed `row/request id`. Read as the page is
 * written, so a label that arrived since the export started is in.
 */
function pageLabels(
  source: DatasetSource,
  model: string,
  page: readonly { startNano: bigint }[],
): Map<string, AttributeValue> {
  const labels = new Map<string, AttributeValue>();
  const fromMs = Number(page[0]!.startNano / 1_000_000n);
  const toMs = Number(page[page.length - 1]!.startNano / 1_000_000n) + 1;
  for (const record of source.feedback.scan({ model, fromMs, toMs }))
    labels.set(`${record.row}/${record.requestId}`, truthValue(record.truth));
  return labels;
}
