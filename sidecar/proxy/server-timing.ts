import { TraceFlags, type Context, type Span } from '@opentelemetry/api';
import { isRandomTraceId } from '../propagation/context-keys.js';
import { formatTraceParent } from '../propagation/traceparent.js';

/** The traceparent of the sidecar's SERVER span, as the response advertises it. */
export function traceparentOf(span: Span, parentCtx: Context): string {
  const sc = span.spanContext();
  return formatTraceParent({
    traceId: sc.traceId,
    spanId: sc.spanId,
    sampled: (sc.traceFlags & TraceFlags.SAMPLED) !== 0,
    random: isRandomTraceId(parentCtx),
  });
}

/**
 * The W3C Trace Context Level 2 response format: `server-timing: trace;desc=<traceparent>`.
 * Other metrics the model server reported are kept as they were; an upstream `trace` metric (the
 * model's own span) is replaced, because the caller's trace continues at the sidecar's SERVER span.
 */
export function withTraceMetric(upstreamValues: readonly string[], traceparent: string): string {
  const kept = upstreamValues
    .flatMap(splitMetrics)
    .filter((m) => m !== '' && m.split(';')[0]?.trim().toLowerCase() !== 'trace');
  return [...kept, `trace;desc=${traceparent}`].join(', ');
}

/** Splits a Server-Timing value on commas that are not inside a quoted description. */
function splitMetrics(value: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out;
}
