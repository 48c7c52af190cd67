/**
 * The flat internal span: what the collector decodes every wire format into (OTLP protobuf, OTLP
 * JSON, Zipkin v2), what storage keeps, and what the exporters map out of. One record per span.
 *
 * Conventions:
 * - ids are lowercase hex: traceId 32 chars, spanId 16 chars; parentSpanId is '' for a root.
 * - times are nanoseconds since the Unix epoch as bigint, so OTLP round-trips exactly
 *   (see shared/time.ts for conversions to micro/milliseconds).
 * - attribute values are plain JSON-able values; integers are JS numbers (int64 beyond 2^53 loses
 *   precision, as in OpenTelemetry JS), bytes are carried as base64 strings.
 */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
/** OTLP's SpanKind, by name; the index in SPAN_KINDS is the OTLP enum number. */
export type SpanKind = (typeof SPAN_KINDS)[number];

export const STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;
/** OTLP's Status.code, by name; the index in STATUS_CODES is the OTLP enum number. */
export type StatusCode = (typeof STATUS_CODES)[number];

export interface SpanEvent {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

export interface InstrumentationScope {
  name: string;
  version: string;
}

export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  kind: SpanKind;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  status: { code: StatusCode; message: string };
  /** W3C trace flags and OTLP span flags, as sent (0 when absent). */
  flags: number;
  /** `service.name` of the resource, or 'unknown_service' when it has none. */
  serviceName: string;
  /** The resource's attributes, `service.name` included. */
  resource: Attributes;
  scope: InstrumentationScope;
}

export const UNKNOWN_SERVICE = 'unknown_service';

/**
 * A span sent without a start time, which Zipkin's model allows (the late half of a span that only
 * adds tags or annotations, a start event lost). It is stored with start 0 — no timed span may start
 * before 2000 — and end = its duration (0 when unknown); reads merge it into its timed half.
 */
export function isUntimed(span: Pick<SpanRecord, 'startTimeUnixNano'>): boolean {
  return span.startTimeUnixNano === 0n;
}

/** A span's duration in nanoseconds (never negative). */
export function durationNano(span: Pick<SpanRecord, 'startTimeUnixNano' | 'endTimeUnixNano'>): bigint {
  const d = span.endTimeUnixNano - span.startTimeUnixNano;
  return d < 0n ? 0n : d;
}
