import { ML } from '../../shared/attribute-keys.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { isUntimed } from '../../shared/span-record.js';
import type { TraceSummary } from './span-store.js';
import { attributeText } from './span-match.js';

/** The root of a trace: the earliest span without a parent id, else the earliest span. */
export function pickRoot(spans: readonly SpanRecord[]): SpanRecord | undefined {
  let root: SpanRecord | undefined;
  for (const s of spans) {
    if (root === undefined) {
      root = s;
      continue;
    }
    const sIsRoot = s.parentSpanId === '';
    const rIsRoot = root.parentSpanId === '';
    if (sIsRoot !== rIsRoot) {
      if (sIsRoot) root = s;
    } else if (s.startTimeUnixNano < root.startTimeUnixNano) {
      root = s;
    }
  }
  return root;
}

/**
 * Summarises one trace's spans (all of the same trace id); undefined for no spans. Untimed spans
 * (late Zipkin halves, start 0) count, but neither time the trace nor serve as its root while a
 * timed span exists.
 */
export function summarizeTrace(spans: readonly SpanRecord[]): TraceSummary | undefined {
  const timed = spans.filter((s) => !isUntimed(s));
  const root = pickRoot(timed.length > 0 ? timed : spans);
  if (root === undefined) return undefined;
  let start = root.startTimeUnixNano;
  let end = root.endTimeUnixNano;
  let errorCount = 0;
  const services = new Set<string>();
  const requestIds = new Set<string>();
  for (const s of spans) {
    if (!isUntimed(s) && s.startTimeUnixNano < start) start = s.startTimeUnixNano;
    if (!isUntimed(s) && s.endTimeUnixNano > end) end = s.endTimeUnixNano;
    if (s.status.code === 'ERROR') errorCount++;
    services.add(s.serviceName);
    const rid = attributeText(s.attributes[ML.requestId]);
    if (rid !== undefined) requestIds.add(rid);
  }
  return {
    traceId: root.traceId,
    rootService: root.serviceName,
    rootOperation: root.name,
    startTimeUnixNano: start,
    durationNano: end > start ? end - start : 0n,
    spanCount: spans.length,
    errorCount,
    services: [...services].sort(),
    requestIds: [...requestIds].sort(),
  };
}

/** The trace-level half of a TraceQuery: the `error` condition. */
export function summaryMatchesError(summary: TraceSummary, error: boolean | undefined): boolean {
  if (error === undefined) return true;
  return error ? summary.errorCount > 0 : summary.errorCount === 0;
}
