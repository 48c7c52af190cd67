import type { AttributeValue, SpanKind, SpanRecord } from '../../shared/span-record.js';
import { durationNano } from '../../shared/span-record.js';
import { nanoToMicros } from '../../shared/time.js';
import { localEndpoint, remoteEndpoint, tagsCarriedByEndpoints } from './zipkin-endpoints.js';
import type { ZipkinAnnotation, ZipkinKind, ZipkinSpan } from './zipkin-types.js';

/**
 * Spans → Zipkin v2 JSON, following the OpenTelemetry → Zipkin mapping: kind (INTERNAL is absent),
 * local endpoint from service.name, remote endpoint from peer attributes, microseconds, attributes
 * as string tags, status as otel.status_code/error tags, events as annotations. Empty fields are
 * omitted, as the mapping asks.
 */

const KINDS: Partial<Record<SpanKind, ZipkinKind>> = {
  CLIENT: 'CLIENT',
  SERVER: 'SERVER',
  PRODUCER: 'PRODUCER',
  CONSUMER: 'CONSUMER',
};

/** A tag value: text as is, booleans lower-case, numbers as JS prints them, arrays and maps as JSON. */
function zipkinTagValue(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return '';
  return JSON.stringify(value);
}

/** Attributes the Zipkin receiver made from Zipkin's own fields; they go back into those fields. */
const ZIPKIN_FIELD_ATTRIBUTES = { shared: 'zipkin.shared', debug: 'zipkin.debug' } as const;
const FIELD_KEYS = new Set<string>(Object.values(ZIPKIN_FIELD_ATTRIBUTES));

export function toZipkinTags(span: SpanRecord): Record<string, string> {
  const tags: Record<string, string> = {};
  // Resource attributes first, so the span's own attributes win on a clash.
  for (const [key, value] of Object.entries(span.resource)) {
    if (key !== 'service.name') tags[key] = zipkinTagValue(value);
  }
  for (const [key, value] of Object.entries(span.attributes)) {
    if (!FIELD_KEYS.has(key)) tags[key] = zipkinTagValue(value);
  }
  if (span.scope.name !== '') tags['otel.scope.name'] = span.scope.name;
  if (span.scope.version !== '') tags['otel.scope.version'] = span.scope.version;
  // Zipkin marks any span carrying `error` as failed: a boolean "false" would mislead it.
  if (tags.error === 'false') delete tags.error;
  if (span.status.code !== 'UNSET') tags['otel.status_code'] = span.status.code;
  if (span.status.code === 'ERROR') tags.error = span.status.message;
  return tags;
}

/**
 * An event's annotation: its name, or `"name": {attributes as JSON}` when it has attributes (the
 * mapping's form, which the collector's Zipkin receiver splits back into name and attributes).
 */
function annotationValue(name: string, attributes: Record<string, AttributeValue>): string {
  if (Object.keys(attributes).length === 0) return name;
  return `${JSON.stringify(name)}: ${JSON.stringify(attributes)}`;
}

function toZipkinAnnotations(span: SpanRecord): ZipkinAnnotation[] {
  const seen = new Set<string>();
  const out: ZipkinAnnotation[] = [];
  for (const event of span.events) {
    const annotation = {
      timestamp: nanoToMicros(event.timeUnixNano),
      value: annotationValue(event.name, event.attributes),
    };
    const key = `${annotation.timestamp} ${annotation.value}`;
    if (seen.has(key)) continue; // the schema wants unique annotations
    seen.add(key);
    out.push(annotation);
  }
  return out;
}

/** Duration in whole microseconds; a span shorter than one rounds up to 1, an empty one has none. */
function zipkinDuration(span: SpanRecord): number | undefined {
  const ns = durationNano(span);
  if (ns <= 0n) return undefined;
  return Math.max(1, nanoToMicros(ns));
}

/**
 * One span. `shared` marks a server span that reuses its client's span id (Zipkin's B3 style); a
 * span that arrived over Zipkin carries it (and `debug`) as attributes.
 */
export function toZipkinSpan(span: SpanRecord, sharedId = false): ZipkinSpan {
  const shared = sharedId || span.attributes[ZIPKIN_FIELD_ATTRIBUTES.shared] === true;
  const out: ZipkinSpan = { traceId: span.traceId, id: span.spanId };
  if (span.parentSpanId !== '' && span.parentSpanId !== span.spanId) out.parentId = span.parentSpanId;
  if (span.name !== '') out.name = span.name;
  const kind = KINDS[span.kind];
  if (kind !== undefined) out.kind = kind;
  if (span.startTimeUnixNano > 0n) out.timestamp = nanoToMicros(span.startTimeUnixNano);
  const duration = zipkinDuration(span);
  if (duration !== undefined) out.duration = duration;
  if (span.attributes[ZIPKIN_FIELD_ATTRIBUTES.debug] === true) out.debug = true;
  if (shared) out.shared = true;
  const local = localEndpoint(span);
  if (local !== undefined) out.localEndpoint = local;
  const remote = remoteEndpoint(span);
  if (remote !== undefined) out.remoteEndpoint = remote;
  const annotations = toZipkinAnnotations(span);
  if (annotations.length > 0) out.annotations = annotations;
  const tags = toZipkinTags(span);
  for (const key of tagsCarriedByEndpoints(span.attributes, local, remote)) delete tags[key];
  if (Object.keys(tags).length > 0) out.tags = tags;
  return out;
}

/**
 * Any spans (of one trace or many) → a Zipkin ListOfSpans, in the order given. A SERVER span whose
 * id a CLIENT span of the same trace also has is marked `shared`, as Zipkin models RPCs that
 * propagate with B3 and share the span id between both sides.
 */
export function toZipkinSpans(spans: readonly SpanRecord[]): ZipkinSpan[] {
  const clientIds = new Set<string>();
  for (const s of spans) if (s.kind === 'CLIENT') clientIds.add(`${s.traceId}/${s.spanId}`);
  return spans.map((s) => toZipkinSpan(s, s.kind === 'SERVER' && clientIds.has(`${s.traceId}/${s.spanId}`)));
}
