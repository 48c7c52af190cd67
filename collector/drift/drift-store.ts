import type { Summary } from './summaries/summary-codec.js';
import type { Cell } from './cells.js';
import type { RemovalResult, SummaryRemoval } from './summary-erasure.js';
import type { SummaryDelta } from './summary-accumulator.js';
import type { FeatureType } from './typed-summary.js';

/**
 * Where drift keeps what must survive a restart: per-bucket feature summaries and references.
 * Two implementations: SQLite (the collector's database, sqlite-drift-store.ts) and memory (tests).
 * Calls are synchronous (better-sqlite3 is), and each call is atomic. Readers return copies.
 */

/** One stored summary: a (model, version, feature) over [bucketMs, bucketMs + widthMs). */
export type SummaryRow = SummaryDelta;

interface SummaryRange {
  model: string;
  /** undefined: every version of the model, merged by the caller. */
  version?: string;
  /** Buckets lying wholly inside [fromMs, toMs). */
  fromMs: number;
  toMs: number;
}

export interface KnownFeature {
  model: string;
  version: string;
  feature: string;
  type: FeatureType;
}

export interface SummaryStore {
  /** Merges each delta into the stored summary of its key (creating it); one transaction. */
  merge(deltas: readonly SummaryDelta[]): void;
  read(range: SummaryRange): SummaryRow[];
  /** Features with a bucket starting at or after sinceMs (to know them again after a restart). */
  features(sinceMs: number): KnownFeature[];
  /** Erasure: takes values back out of stored summaries (summary-erasure.ts); one transaction. */
  remove(removals: readonly SummaryRemoval[]): RemovalResult;
}

/** One feature of an uploaded training profile. */
export interface ReferenceFeature {
  name: string;
  summary: Summary;
  /** Every value (nulls included) when the column had at most the raw cap of them; else undefined. */
  raw?: Cell[];
  /** Whether raw values are stored (list() leaves `raw` out even then). */
  hasRaw: boolean;
}

/**
 * A model's stored reference (per version, or for every version when version is ''):
 * - training: an uploaded profile;
 * - window: a fixed time range of the model's own traffic, pinned by the user.
 */
export type StoredReference = (
  | {
      kind: 'training';
      model: string;
      version: string;
      createdMs: number;
      source: 'csv' | 'json';
      rows: number;
      features: ReferenceFeature[];
    }
  | { kind: 'window'; model: string; version: string; createdMs: number; startMs: number; endMs: number }
) & {
  /** Kept whatever its age (retention never deletes it); absent: false. */
  keep?: boolean;
};

export interface ReferenceStore {
  /** Replaces the reference of (model, version). */
  put(reference: StoredReference): void;
  get(model: string, version: string): StoredReference | undefined;
  /** Every reference of the model (all versions), without raw values, sorted by version. */
  list(model: string): StoredReference[];
  /** false when there was none. */
  delete(model: string, version: string): boolean;
  /** Marks the reference kept (or not) by retention; false when there was none. */
  setKeep(model: string, version: string, keep: boolean): boolean;
}

export interface DriftStores {
  summaries: SummaryStore;
  references: ReferenceStore;
}
