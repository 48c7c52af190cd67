import type { SpanRecord } from '../../shared/span-record.js';
import type { AssemblyOptions } from '../assembly/standard-adjusters.js';
import { standardAdjusters } from '../assembly/standard-adjusters.js';
import type { WorkingTrace } from '../assembly/working-trace.js';
import { toWorkingTrace } from '../assembly/working-trace.js';
import type { SpanReader, TraceQuery } from '../storage/span-store.js';

/**
 * Fetching whole traces for the compatible read APIs. The SpanReader answers searches with
 * summaries; the UIs want every span of every trace found, so each is fetched by id.
 */

/** Spans by start time, then span id: a stable order for responses (the reader gives none). */
export function byStart(spans: readonly SpanRecord[]): SpanRecord[] {
  return [...spans].sort((a, b) =>
    a.startTimeUnixNano !== b.startTimeUnixNano
      ? a.startTimeUnixNano < b.startTimeUnixNano ? -1 : 1
      : a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0,
  );
}

/** The stored spans of each id (in the ids' order), leaving out ids with no spans. */
export async function loadTraces(reader: SpanReader, traceIds: readonly string[]): Promise<SpanRecord[][]> {
  const traces = await Promise.all(traceIds.map((id) => reader.getTrace(id)));
  return traces.filter((t) => t.length > 0).map(byStart);
}

/** The traces matching a query, most recent first, each with all its spans. */
export async function findFullTraces(reader: SpanReader, query: TraceQuery): Promise<SpanRecord[][]> {
  const summaries = await reader.findTraces(query);
  return loadTraces(reader, summaries.map((s) => s.traceId));
}

/**
 * A trace as Jaeger's query service shows it: after the read-time adjusters (Zipkin shared ids
 * split, clock skew corrected, spans sorted), with what they changed as warnings.
 */
export function adjustTrace(spans: readonly SpanRecord[], options: AssemblyOptions = {}): WorkingTrace {
  let trace = toWorkingTrace(spans[0]?.traceId ?? '', spans);
  for (const adjuster of standardAdjusters(options)) trace = adjuster.adjust(trace);
  return trace;
}
