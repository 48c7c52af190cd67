import type { SpanKind, SpanLink, SpanRecord } from '../../shared/span-record.js';
import { durationNano } from '../../shared/span-record.js';
import { nanoToMicros } from '../../shared/time.js';
import { jaegerSpanId, jaegerTraceId } from './jaeger-ids.js';
import { stringTag, toJaegerTags } from './jaeger-tags.js';
import type {
  JaegerEnvelope,
  JaegerKeyValue,
  JaegerLog,
  JaegerProcess,
  JaegerReference,
  JaegerSpan,
  JaegerTrace,
} from './jaeger-types.js';

/**
 * Spans → the Jaeger UI's JSON, the way Jaeger's OTLP translator and its query service's
 * domain → JSON conversion do it, so a trace reads the same here as in Jaeger itself. Spans keep the
 * order they are given in and are not de-duplicated (that is an adjuster's job, not the mapping's).
 */

const SPAN_KIND_TAG: Partial<Record<SpanKind, string>> = {
  CLIENT: 'client',
  SERVER: 'server',
  PRODUCER: 'producer',
  CONSUMER: 'consumer',
  INTERNAL: 'internal',
};

/** The lowercase name Jaeger gives a span kind ('' for UNSPECIFIED). */
export function jaegerSpanKind(kind: SpanKind): string {
  return SPAN_KIND_TAG[kind] ?? '';
}

const SKIP_SERVICE_NAME = new Set(['service.name']);

/** The process of a span: its service and its resource's other attributes. */
function toJaegerProcess(span: SpanRecord): JaegerProcess {
  return { serviceName: span.serviceName, tags: toJaegerTags(span.resource, SKIP_SERVICE_NAME) };
}

/** Span tags in the translator's order: scope, attributes, kind, status, error, description, tracestate. */
export function toJaegerSpanTags(span: SpanRecord): JaegerKeyValue[] {
  const tags: JaegerKeyValue[] = [];
  if (span.scope.name !== '') tags.push(stringTag('otel.scope.name', span.scope.name));
  if (span.scope.version !== '') tags.push(stringTag('otel.scope.version', span.scope.version));
  tags.push(...toJaegerTags(span.attributes));
  const kind = SPAN_KIND_TAG[span.kind];
  if (kind !== undefined) tags.push(stringTag('span.kind', kind));
  if (span.status.code !== 'UNSET') tags.push(stringTag('otel.status_code', span.status.code));
  if (span.status.code === 'ERROR') tags.push({ key: 'error', type: 'bool', value: true });
  if (span.status.message !== '') tags.push(stringTag('otel.status_description', span.status.message));
  if (span.traceState !== '') tags.push(stringTag('w3c.tracestate', span.traceState));
  return tags;
}

function linkRefType(link: SpanLink): JaegerReference['refType'] {
  // OpenTracing-originated links say which kind of reference they were.
  return link.attributes['opentracing.ref_type'] === 'child_of' ? 'CHILD_OF' : 'FOLLOWS_FROM';
}

/** CHILD_OF the parent first (UIs look for it there), then one reference per link. */
export function toJaegerReferences(span: SpanRecord): JaegerReference[] {
  const refs: JaegerReference[] = [];
  const traceID = jaegerTraceId(span.traceId);
  if (span.parentSpanId !== '') {
    refs.push({ refType: 'CHILD_OF', traceID, spanID: jaegerSpanId(span.parentSpanId) });
  }
  for (const link of span.links) {
    const ref: JaegerReference = {
      refType: linkRefType(link),
      traceID: jaegerTraceId(link.traceId),
      spanID: jaegerSpanId(link.spanId),
    };
    const first = refs[0];
    if (span.parentSpanId !== '' && first !== undefined && ref.traceID === traceID && ref.spanID === first.spanID) {
      first.refType = ref.refType; // the link to the parent says what kind of reference it is
      continue;
    }
    refs.push(ref);
  }
  return refs;
}

/** Events become logs; the event's name is the `event` field unless an attribute already has that key. */
export function toJaegerLogs(span: SpanRecord): JaegerLog[] {
  return span.events.map((event) => {
    const fields: JaegerKeyValue[] = [];
    if (event.name !== '' && !('event' in event.attributes)) fields.push(stringTag('event', event.name));
    fields.push(...toJaegerTags(event.attributes));
    return { timestamp: nanoToMicros(event.timeUnixNano), fields };
  });
}

/** A span, optionally with what the read-time adjusters said about it. */
export type SpanWithWarnings = SpanRecord & { warnings?: readonly string[] };

function toJaegerSpan(span: SpanWithWarnings, processID: string): JaegerSpan {
  return {
    traceID: jaegerTraceId(span.traceId),
    spanID: jaegerSpanId(span.spanId),
    operationName: span.name,
    references: toJaegerReferences(span),
    startTime: nanoToMicros(span.startTimeUnixNano),
    duration: nanoToMicros(durationNano(span)),
    tags: toJaegerSpanTags(span),
    logs: toJaegerLogs(span),
    processID,
    warnings: span.warnings !== undefined && span.warnings.length > 0 ? [...span.warnings] : null,
  };
}

/**
 * One trace's spans → one Jaeger UI trace. Equal processes (same service, same tags in the same
 * order) share an id; ids are p1, p2, ... in order of first appearance.
 */
export function toJaegerTrace(
  spans: readonly SpanWithWarnings[],
  warnings: readonly string[] | null = null,
): JaegerTrace {
  const processes: Record<string, JaegerProcess> = {};
  const idsByKey = new Map<string, string>();
  const jaegerSpans = spans.map((span) => {
    const process = toJaegerProcess(span);
    const key = JSON.stringify([process.serviceName, process.tags]);
    let id = idsByKey.get(key);
    if (id === undefined) {
      id = `p${idsByKey.size + 1}`;
      idsByKey.set(key, id);
      processes[id] = process;
    }
    return toJaegerSpan(span, id);
  });
  const first = spans[0];
  return {
    traceID: first === undefined ? '' : jaegerTraceId(first.traceId),
    spans: jaegerSpans,
    processes,
    warnings: warnings !== null && warnings.length > 0 ? [...warnings] : null,
  };
}

/** The `{data, total, limit, offset, errors}` envelope of Jaeger's query API. */
export function jaegerEnvelope<T>(data: T, extra: Partial<Omit<JaegerEnvelope<T>, 'data'>> = {}): JaegerEnvelope<T> {
  return { data, total: 0, limit: 0, offset: 0, errors: null, ...extra };
}

/**
 * A whole trace as a Jaeger JSON document, `{data: [trace], ...}`: what `GET /api/traces/{id}`
 * of Jaeger returns and what the Jaeger UI's "JSON file" view loads.
 */
export function toJaegerFile(spans: readonly SpanRecord[]): JaegerEnvelope<JaegerTrace[]> {
  return jaegerEnvelope(spans.length === 0 ? [] : [toJaegerTrace(spans)]);
}
