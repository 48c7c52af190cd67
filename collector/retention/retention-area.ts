import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type Database from 'better-sqlite3';

/**
 * What each area that keeps captured data (or what is derived from it) implements so that one
 * policy (retention-policy.ts) can prune it and report on it. One RecordSet per kind of record
 * with a limit of its own (e.g. resolved and firing alerts are two sets of one table).
 */
export interface RetentionLimit {
  /** Records older than this go (0: no age limit). */
  readonly maxAgeMs: number;
  /** The set is kept under this many bytes, oldest first (absent or 0: no size limit). */
  readonly maxBytes?: number;
}

/** Runs `work` in one short IMMEDIATE transaction, then yields to the event loop; returns what work returned. */
export type BatchStep = (work: () => number) => Promise<number>;

export interface RecordSet {
  /** The name reported by the status (`spans`, `alerts.firing`, …). */
  readonly name: string;
  /** The SQLite table the records live in. */
  readonly table: string;
  /** How far past the limit the oldest record may be between passes (e.g. a bucket's width); default 0. */
  readonly graceMs?: number;
  /** Deletes what is past the limit, a batch per step; returns how many records went. */
  prune(nowMs: number, limit: RetentionLimit, step: BatchStep): Promise<number>;
  /** When the oldest record this limit applies to was made (ms since the epoch), if any. */
  oldest(): number | undefined;
  /** How many records the set holds now. */
  rows(): number;
  /** Further figures for the status (bytes, records kept on purpose), if any. */
  extra?(): Record<string, number>;
}

/** Rows deleted per transaction. */
export const BATCH_ROWS = 1000;

/** A BatchStep on `db`. */
export function batchStep(db: Database.Database): BatchStep {
  return async (work) => {
    const n = db.transaction(work).immediate();
    await yieldToEventLoop();
    return n;
  };
}

/**
 * Runs `deleteBatch` (which deletes at most BATCH_ROWS rows and returns how many) step by step
 * until a batch deletes fewer; returns the total.
 */
export async function deleteInBatches(step: BatchStep, deleteBatch: () => number): Promise<number> {
  let total = 0;
  let n = BATCH_ROWS;
  while (n === BATCH_ROWS) {
    n = await step(deleteBatch);
    total += n;
  }
  return total;
}

/** `nowMs - maxAgeMs`, or undefined when there is no age limit. */
export function cutoffOf(nowMs: number, limit: RetentionLimit): number | undefined {
  return limit.maxAgeMs > 0 ? nowMs - limit.maxAgeMs : undefined;
}
