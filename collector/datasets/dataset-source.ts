import type { FeedbackStore } from '../feedback/feedback-store.js';
import type { SpanReader } from '../storage/span-store.js';
import type { ColumnRegistry } from './column-registry.js';
import type { DatasetQuery } from './dataset-query.js';
import type { DriftWindows } from './drift-windows.js';

/**
 * What a dataset is read from, and the settings that shape the reading. The parts that need the
 * open database come from getters, so the routes can be registered before it opens.
 */
export interface DatasetSource {
  spans: Pick<SpanReader, 'scanModelSpans'>;
  feedback: Pick<FeedbackStore, 'scan'>;
  /** The drift state of each window of the query's range; absent: drift-aware selection is refused. */
  driftWindows?: (q: DatasetQuery) => Promise<DriftWindows>;
  /** When the model's latest drift alert resolved (epoch ms); undefined when none has. */
  lastDriftResolvedMs?: (model: string) => number | undefined;
  /**
   * Pseudonyms of restricted or objecting data subjects, whose rows are never exported (asked once
   * per export). Default: none.
   */
  excludedSubjects?: () => ReadonlySet<string>;
  /**
   * The feature columns seen at ingest: with it, a range it covers needs no first pass. Absent (or
   * not covering the range): the export reads the range twice.
   */
  columns?: Pick<ColumnRegistry, 'columns'>;
  /** Spans per page read from the store (default 1000): the export's memory is one page. */
  pageSpans?: number;
}

export const DEFAULT_PAGE_SPANS = 1000;
