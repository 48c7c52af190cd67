import type { Cell } from '../drift/cells.js';
import type { RemovalResult } from '../drift/summary-erasure.js';
import type { PairDelta } from './pair-accumulator.js';
import type { PairSummary } from './summaries/pair-summary.js';

/**
 * Where relationship summaries live: one summary per (model, version, time bucket, input, output).
 * SQLite in the collector (sqlite-relationship-store.ts), a map for other span stores and tests.
 */
export interface PairRow {
  model: string;
  version: string;
  bucketMs: number;
  widthMs: number;
  input: string;
  output: string;
  summary: PairSummary;
}

/** What to take back out of one stored summary (erasure): the (input value, output value) rows. */
export interface PairRemoval {
  model: string;
  version: string;
  bucketMs: number;
  input: string;
  output: string;
  rows: [Cell, Cell][];
}

interface PairRange {
  model: string;
  /** undefined: every version. */
  version?: string;
  /** Buckets lying wholly in [fromMs, toMs). */
  fromMs: number;
  toMs: number;
}

export interface RelationshipStore {
  merge(deltas: readonly PairDelta[]): void;
  read(range: PairRange): PairRow[];
  /** Takes rows out of stored summaries; a summary left empty is deleted. */
  remove(removals: readonly PairRemoval[]): RemovalResult;
}

/** Takes one removal's rows out of a summary (in place). */
export function applyPairRemoval(summary: PairSummary, removal: PairRemoval): RemovalResult {
  const result: RemovalResult = { removed: 0, notFound: 0 };
  for (const [x, y] of removal.rows) {
    if (summary.remove(x, y)) result.removed += 1;
    else result.notFound += 1;
  }
  return result;
}

export const isEmptySummary = (s: PairSummary): boolean => s.count + s.missing === 0;
