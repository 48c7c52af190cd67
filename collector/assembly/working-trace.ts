import type { SpanRecord } from '../../shared/span-record.js';

/**
 * The trace as the read-time adjusters see it: the stored spans (copies), each able to carry
 * warnings, plus the trace's own list of warnings. Data-quality problems are warnings, never
 * exceptions: a trace with orphans, duplicate ids or skewed clocks is still shown.
 */
export interface WorkingSpan extends SpanRecord {
  /** The id the span was stored under, when an adjuster had to give it a new one. */
  originalSpanId?: string;
  /** What the adjusters changed or doubted about this span, for a person to read. */
  warnings: string[];
}

export interface WorkingTrace {
  traceId: string;
  spans: WorkingSpan[];
  /** Every warning of the trace, each naming its span: `span <id> (<service> "<name>"): why`. */
  warnings: string[];
}

/** One read-time correction; pure: returns a new trace and leaves its input untouched. */
export interface Adjuster {
  readonly name: string;
  adjust(trace: WorkingTrace): WorkingTrace;
}

/** Wraps stored spans (all of one trace) for the adjusters; the records are copied shallowly. */
export function toWorkingTrace(traceId: string, spans: readonly SpanRecord[]): WorkingTrace {
  return { traceId, spans: spans.map((s) => ({ ...s, warnings: [] })), warnings: [] };
}

/** How warnings name a span: its id, service and operation, so a person can find it. */
export function spanLabel(span: Pick<SpanRecord, 'spanId' | 'serviceName' | 'name'>): string {
  return `span ${span.spanId} (${span.serviceName} "${span.name}")`;
}

/**
 * Records a warning about a span: appends it, labelled, to the trace's list being built (the
 * adjuster's own copy) and returns a copy of the span that carries the message too.
 */
export function warn(traceWarnings: string[], span: WorkingSpan, message: string): WorkingSpan {
  traceWarnings.push(`${spanLabel(span)}: ${message}`);
  return { ...span, warnings: [...span.warnings, message] };
}
