import type { Operation, TraceSummary } from './span-store.js';

/** The orders every store returns things in, so the stores agree to the element. */

/** Operations: by name, then kind. */
export function compareOperations(a: Operation, b: Operation): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

/** Summaries: most recent trace start first; ties by trace id. */
export function compareSummaries(a: TraceSummary, b: TraceSummary): number {
  if (a.startTimeUnixNano !== b.startTimeUnixNano) return a.startTimeUnixNano > b.startTimeUnixNano ? -1 : 1;
  return a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0;
}

/** Trace ids found through one of their spans: that span's start, most recent first; ties by id. */
export interface TraceHit {
  traceId: string;
  start: bigint;
}

export function compareHits(a: TraceHit, b: TraceHit): number {
  if (a.start !== b.start) return a.start > b.start ? -1 : 1;
  return a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0;
}
