import type { SpanRecord } from '../../shared/span-record.js';
import type { TraceTree } from './build-tree.js';
import { buildTree } from './build-tree.js';
import type { AssemblyOptions } from './standard-adjusters.js';
import { standardAdjusters } from './standard-adjusters.js';
import type { Adjuster } from './working-trace.js';
import { toWorkingTrace } from './working-trace.js';

/**
 * Stored spans of one trace in, call tree out: runs the adjusters in their declared order, then
 * builds the tree. Pure; the input records are not changed.
 */
export function assembleTrace(
  traceId: string,
  spans: readonly SpanRecord[],
  options: AssemblyOptions & { adjusters?: readonly Adjuster[] } = {},
): TraceTree {
  const adjusters = options.adjusters ?? standardAdjusters(options);
  let trace = toWorkingTrace(traceId, spans);
  for (const adjuster of adjusters) trace = adjuster.adjust(trace);
  return buildTree(trace);
}
