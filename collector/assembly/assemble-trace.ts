import type { SpanRecord } from '../../shared/span-record.js';
import type { TraceTree } from './build-tree.js';
import { buildTree } from './build-tree.js';
import type { AssemblyOptions } from './standard-adjusters.js';
import { standardAdjusters } from './standard-adjusters.js';
import type { Adjuster, WorkingTrace } from './working-trace.js';
import { toWorkingTrace } from './working-trace.js';

/** Stored spans of one trace in, adjusted trace out: the adjusters in their declared order. Pure. */
export function adjustTrace(
  traceId: string,
  spans: readonly SpanRecord[],
  adjusters: readonly Adjuster[],
): WorkingTrace {
  let trace = toWorkingTrace(traceId, spans);
  for (const adjuster of adjusters) trace = adjuster.adjust(trace);
  return trace;
}

/**
 * Stored spans of one trace in, call tree out: runs the adjusters in their declared order, then
 * builds the tree. Pure; the input records are not changed.
 */
export function assembleTrace(
  traceId: string,
  spans: readonly SpanRecord[],
  options: AssemblyOptions & { adjusters?: readonly Adjuster[] } = {},
): TraceTree {
  return buildTree(adjustTrace(traceId, spans, options.adjusters ?? standardAdjusters(options)));
}
