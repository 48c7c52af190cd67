import { valueShape } from '../../shared/value-shape.js';
import { isValidSpanId, isValidTraceId } from '../../shared/ids.js';
import type { AttributeValue, Attributes, SpanRecord } from '../../shared/span-record.js';

/**
 * Span validation: pure, one span at a time, so one bad span never costs its valid neighbours.
 * Decoders hand over candidates; a decoder that met something it could not represent (a kind out of
 * range, a value nested too deep to decode) sets `problem`, and the span is rejected with it.
 */
export interface SpanCandidate {
  span: SpanRecord;
  problem?: Rejection;
  /** The format allows a span without a start time and this one has none (see isUntimed). */
  untimed?: boolean;
}

export type RejectCode =
  | 'bad_trace_id'
  | 'bad_span_id'
  | 'bad_parent_span_id'
  | 'end_before_start'
  | 'timestamp_out_of_range'
  | 'attribute_over_limit'
  | 'malformed_span';

export interface Rejection {
  code: RejectCode;
  message: string;
}

export interface ValidationLimits {
  /** Longest attribute key, in UTF-16 code units. */
  maxKeyLength: number;
  /** Longest string value (attribute values, span and event names). */
  maxStringLength: number;
  /** Most elements in one array value. */
  maxArrayLength: number;
  /** Deepest nesting of array/map values: a scalar is 0, [1, 2] is 1, [[1]] is 2. */
  maxDepth: number;
  /** Most attributes on one span, event, link or resource. */
  maxAttributes: number;
  /** No span may start before this (2000-01-01T00:00:00Z). */
  earliestNano: bigint;
  /** No span may end more than this far after the collector's clock (one day). */
  maxFutureNano: bigint;
}

export const DEFAULT_LIMITS: Readonly<ValidationLimits> = Object.freeze({
  maxKeyLength: 1024,
  maxStringLength: 1024 * 1024,
  maxArrayLength: 100_000,
  maxDepth: 10,
  maxAttributes: 10_000,
  earliestNano: 946_684_800_000_000_000n,
  maxFutureNano: 86_400_000_000_000n,
});

export function reject(code: RejectCode, message: string): Rejection {
  return { code, message };
}

/** Checks one value; returns the problem, or undefined. Never recurses deeper than maxDepth + 1. */
function checkValue(value: AttributeValue, key: string, depth: number, limits: ValidationLimits): string | undefined {
  if (typeof value === 'string') {
    return value.length > limits.maxStringLength
      ? `attribute "${key}" has a string of ${value.length} characters (limit ${limits.maxStringLength})`
      : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth + 1 > limits.maxDepth) return `attribute "${key}" is nested deeper than ${limits.maxDepth} levels`;
  if (Array.isArray(value)) {
    if (value.length > limits.maxArrayLength) {
      return `attribute "${key}" has an array of ${value.length} elements (limit ${limits.maxArrayLength})`;
    }
    for (const v of value) {
      const p = checkValue(v, key, depth + 1, limits);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  const entries = Object.entries(value);
  if (entries.length > limits.maxArrayLength) {
    return `attribute "${key}" has a map of ${entries.length} entries (limit ${limits.maxArrayLength})`;
  }
  for (const [k, v] of entries) {
    if (k.length > limits.maxKeyLength)
      return `attribute "${key}" has a map key of ${k.length} characters (limit ${limits.maxKeyLength})`;
    const p = checkValue(v, key, depth + 1, limits);
    if (p !== undefined) return p;
  }
  return undefined;
}

/** Checks a set of attributes against the limits; `where` names it in the message. */
function checkAttributes(attributes: Attributes, limits: ValidationLimits, where: string): Rejection | undefined {
  const keys = Object.keys(attributes);
  if (keys.length > limits.maxAttributes) {
    return reject('attribute_over_limit', `${where} has ${keys.length} attributes (limit ${limits.maxAttributes})`);
  }
  for (const key of keys) {
    if (key.length > limits.maxKeyLength) {
      return reject(
        'attribute_over_limit',
        `${where} has an attribute key of ${key.length} characters (limit ${limits.maxKeyLength})`,
      );
    }
    const p = checkValue(attributes[key] as AttributeValue, key, 0, limits);
    if (p !== undefined) return reject('attribute_over_limit', `${where}: ${p}`);
  }
  return undefined;
}

const iso = (ns: bigint): string => {
  const ms = Number(ns / 1_000_000n);
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : `${ns} ns`;
};

function checkIdsAndTimes(
  span: SpanRecord,
  nowNano: bigint,
  limits: ValidationLimits,
  untimed: boolean,
): Rejection | undefined {
  if (!isValidTraceId(span.traceId)) {
    return reject('bad_trace_id', `traceId must be 32 hex digits and not all zero, got ${valueShape(span.traceId)}`);
  }
  if (!isValidSpanId(span.spanId)) {
    return reject('bad_span_id', `spanId must be 16 hex digits and not all zero, got ${valueShape(span.spanId)}`);
  }
  if (span.parentSpanId !== '' && !isValidSpanId(span.parentSpanId)) {
    return reject(
      'bad_parent_span_id',
      `parentSpanId must be empty or 16 hex digits and not all zero, got ${valueShape(span.parentSpanId)}`,
    );
  }
  if (untimed) return undefined; // start 0, end = a duration: nothing to check against the clock
  if (span.startTimeUnixNano < limits.earliestNano) {
    return reject(
      'timestamp_out_of_range',
      `starts at ${iso(span.startTimeUnixNano)}, before ${iso(limits.earliestNano)}; is the start time set, in nanoseconds since the epoch?`,
    );
  }
  if (span.endTimeUnixNano < span.startTimeUnixNano) {
    return reject(
      'end_before_start',
      `ends (${iso(span.endTimeUnixNano)}) before it starts (${iso(span.startTimeUnixNano)})`,
    );
  }
  if (span.endTimeUnixNano > nowNano + limits.maxFutureNano) {
    return reject(
      'timestamp_out_of_range',
      `ends at ${iso(span.endTimeUnixNano)}, more than a day after the collector's clock (${iso(nowNano)})`,
    );
  }
  return undefined;
}

/**
 * Returns why the span must be rejected, or undefined when it is valid. Resource attributes are
 * checked by the caller once per resource (see partitionSpans), not here.
 */
export function validateSpan(
  span: SpanRecord,
  nowNano: bigint,
  limits: ValidationLimits = DEFAULT_LIMITS,
  untimed = false,
): Rejection | undefined {
  const basic = checkIdsAndTimes(span, nowNano, limits, untimed);
  if (basic !== undefined) return basic;
  if (span.name.length > limits.maxStringLength) {
    return reject(
      'attribute_over_limit',
      `span name has ${span.name.length} characters (limit ${limits.maxStringLength})`,
    );
  }
  const own = checkAttributes(span.attributes, limits, 'span');
  if (own !== undefined) return own;
  for (const [i, e] of span.events.entries()) {
    if (e.name.length > limits.maxStringLength) {
      return reject(
        'attribute_over_limit',
        `event ${i} name has ${e.name.length} characters (limit ${limits.maxStringLength})`,
      );
    }
    const p = checkAttributes(e.attributes, limits, `event ${i} ("${e.name.slice(0, 64)}")`);
    if (p !== undefined) return p;
  }
  for (const [i, l] of span.links.entries()) {
    if (!isValidTraceId(l.traceId) || !isValidSpanId(l.spanId)) {
      return reject(
        'malformed_span',
        `link ${i} has an invalid trace or span id (${valueShape(l.traceId)}, ${valueShape(l.spanId)})`,
      );
    }
    const p = checkAttributes(l.attributes, limits, `link ${i}`);
    if (p !== undefined) return p;
  }
  return undefined;
}

export interface RejectedSpan extends Rejection {
  traceId: string;
  spanId: string;
}

export interface Partition {
  accepted: SpanRecord[];
  rejected: RejectedSpan[];
}

/** Splits candidates into the spans to store and the spans rejected, each with its reason. */
export function partitionSpans(
  candidates: readonly SpanCandidate[],
  nowNano: bigint,
  limits: ValidationLimits = DEFAULT_LIMITS,
): Partition {
  const accepted: SpanRecord[] = [];
  const rejected: RejectedSpan[] = [];
  // Decoders share one resource object among the spans under it: check each once.
  const resourceVerdicts = new Map<Attributes, Rejection | undefined>();
  for (const c of candidates) {
    const { span } = c;
    let problem = c.problem ?? validateSpan(span, nowNano, limits, c.untimed === true);
    if (problem === undefined) {
      if (!resourceVerdicts.has(span.resource)) {
        resourceVerdicts.set(span.resource, checkAttributes(span.resource, limits, 'resource'));
      }
      problem = resourceVerdicts.get(span.resource);
    }
    if (problem === undefined) accepted.push(span);
    else rejected.push({ ...problem, traceId: span.traceId, spanId: span.spanId });
  }
  return { accepted, rejected };
}

/** An id as the message shows it: only a well-formed one is repeated (a malformed one could be anything a sender put there). */
function shownId(id: string, hexDigits: number): string {
  if (id === '') return '(no id)';
  return id.length === hexDigits && /^[0-9a-f]+$/i.test(id) ? id : '(malformed id)';
}

/** A message for the sender naming how many spans were rejected and why (the first few reasons). */
export function describeRejections(rejected: readonly RejectedSpan[], total: number, shown = 3): string {
  const lines = rejected
    .slice(0, shown)
    .map((r) => `span ${shownId(r.spanId, 16)} of trace ${shownId(r.traceId, 32)}: ${r.message}`);
  const more = rejected.length > shown ? `; and ${rejected.length - shown} more` : '';
  return `rejected ${rejected.length} of ${total} spans: ${lines.join('; ')}${more}`;
}
