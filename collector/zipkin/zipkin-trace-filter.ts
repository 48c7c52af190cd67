import type { ZipkinSpan } from './zipkin-types.js';
import type { AnnotationTerm, ZipkinTraceFilter } from './zipkin-search-params.js';

/**
 * The part of a Zipkin trace query that is judged on Zipkin's view of the spans, as Zipkin's own
 * query does: among the spans of the named service (all spans when none is named), each
 * annotation term must be met by some span, and some span must call the named remote service.
 * Service names compare case-insensitively (Zipkin lower-cases them).
 */
function termMet(span: ZipkinSpan, term: AnnotationTerm): boolean {
  if (term.value !== undefined) return span.tags?.[term.key] === term.value;
  return (
    (span.tags !== undefined && term.key in span.tags) || (span.annotations ?? []).some((a) => a.value === term.key)
  );
}

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

export function traceMatches(spans: readonly ZipkinSpan[], filter: ZipkinTraceFilter): boolean {
  const mine =
    filter.serviceName === undefined
      ? spans
      : spans.filter((s) => same(s.localEndpoint?.serviceName, filter.serviceName as string));
  if (mine.length === 0) return false;
  const remote = filter.remoteServiceName;
  if (remote !== undefined && !mine.some((s) => same(s.remoteEndpoint?.serviceName, remote))) return false;
  return filter.terms.every((term) => mine.some((s) => termMet(s, term)));
}
