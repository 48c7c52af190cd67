import { NANOS_PER_MICRO, NANOS_PER_MILLI } from '../../shared/time.js';
import type { TraceQuery } from '../storage/span-store.js';
import { badParameter } from '../query/compat-errors.js';
import type { QueryValues } from '../jaeger/jaeger-search-params.js';
import { first } from '../jaeger/jaeger-search-params.js';

/**
 * Reads the query string of Zipkin's `GET /api/v2/traces` (as Zipkin Lens sends it): serviceName,
 * remoteServiceName, spanName, annotationQuery, minDuration/maxDuration (µs), endTs and lookback
 * (epoch ms / ms), limit. What the span store can match goes into a TraceQuery; what only exists
 * in Zipkin's view of a span (bare annotation words, the tags made from the status, the remote
 * service) goes into a filter applied to the mapped spans.
 */
const ZIPKIN_DEFAULT_LIMIT = 10;
/** Zipkin's QUERY_LOOKBACK default: one day, in ms. */
const ZIPKIN_DEFAULT_LOOKBACK_MS = 86_400_000;

/** `key=value` constrains a tag; a bare word matches an annotation's value or a tag's key. */
export interface AnnotationTerm {
  key: string;
  value?: string;
}

export interface ZipkinTraceFilter {
  serviceName?: string;
  remoteServiceName?: string;
  terms: AnnotationTerm[];
}

export interface ZipkinSearch {
  query: TraceQuery;
  filter: ZipkinTraceFilter;
  /** True when the filter must run on the mapped spans (the store cannot answer it alone). */
  needsFilter: boolean;
}

/** Tags that Zipkin's view of a span has but the stored attributes do not (made by the mapping). */
const MAPPED_TAGS = new Set(['error', 'otel.status_code', 'otel.scope.name', 'otel.scope.version']);

function parseAnnotationQuery(text: string): AnnotationTerm[] {
  return text
    .split(/\s+and\s+/i)
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map((t) => {
      const at = t.indexOf('=');
      return at < 0 ? { key: t } : { key: t.slice(0, at), value: t.slice(at + 1) };
    });
}

function positiveInteger(values: QueryValues, name: string, unit: string): number | undefined {
  const text = first(values, name);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw badParameter(`${name} must be a whole number of ${unit}, got "${text}"`);
  const n = Number(text);
  if (n <= 0) throw badParameter(`${name} must be greater than 0 (${unit}), got ${n}`);
  return n;
}

/** The window of a Zipkin query: endTs (epoch ms, default now) and lookback (ms, default one day). */
export function zipkinWindow(
  values: QueryValues,
  nowNano: bigint,
  endTsRequired = false,
): { startNano: bigint; endNano: bigint } {
  const endTs = positiveInteger(values, 'endTs', 'epoch milliseconds');
  if (endTs === undefined && endTsRequired)
    throw badParameter('endTs is required: the end of the window in epoch milliseconds');
  const lookback = positiveInteger(values, 'lookback', 'milliseconds') ?? ZIPKIN_DEFAULT_LOOKBACK_MS;
  const endNano = endTs === undefined ? nowNano : BigInt(endTs) * NANOS_PER_MILLI;
  const startNano = endNano - BigInt(lookback) * NANOS_PER_MILLI;
  return { startNano: startNano < 0n ? 0n : startNano, endNano };
}

export function parseZipkinSearch(values: QueryValues, nowNano: bigint): ZipkinSearch {
  const minDuration = positiveInteger(values, 'minDuration', 'microseconds');
  const maxDuration = positiveInteger(values, 'maxDuration', 'microseconds');
  if (maxDuration !== undefined && minDuration === undefined) {
    throw badParameter('maxDuration is only valid together with minDuration (both in microseconds)');
  }
  if (maxDuration !== undefined && minDuration !== undefined && maxDuration < minDuration) {
    throw badParameter(`maxDuration (${maxDuration} µs) must not be less than minDuration (${minDuration} µs)`);
  }
  const limit = positiveInteger(values, 'limit', 'traces') ?? ZIPKIN_DEFAULT_LIMIT;
  const query: TraceQuery = { ...zipkinWindow(values, nowNano), limit };
  const filter: ZipkinTraceFilter = { terms: [] };
  const serviceName = first(values, 'serviceName');
  if (serviceName !== undefined) {
    query.service = serviceName;
    filter.serviceName = serviceName;
  }
  const spanName = first(values, 'spanName');
  if (spanName !== undefined && spanName !== 'all') query.operation = spanName;
  if (minDuration !== undefined) query.minDurationNano = BigInt(minDuration) * NANOS_PER_MICRO;
  if (maxDuration !== undefined) query.maxDurationNano = BigInt(maxDuration) * NANOS_PER_MICRO;
  const remote = first(values, 'remoteServiceName');
  if (remote !== undefined) filter.remoteServiceName = remote;
  const tags: Record<string, string> = {};
  for (const term of parseAnnotationQuery(first(values, 'annotationQuery') ?? '')) {
    if (term.value !== undefined && !MAPPED_TAGS.has(term.key)) tags[term.key] = term.value;
    else filter.terms.push(term);
  }
  if (Object.keys(tags).length > 0) query.tags = tags;
  return { query, filter, needsFilter: filter.terms.length > 0 || filter.remoteServiceName !== undefined };
}
