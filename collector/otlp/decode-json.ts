import { valueShape } from '../../shared/value-shape.js';
import { emptySpan } from './empty-span.js';
import type {
  AttributeValue,
  Attributes,
  InstrumentationScope,
  SpanEvent,
  SpanKind,
  SpanLink,
  StatusCode,
} from '../../shared/span-record.js';
import { SPAN_KINDS, STATUS_CODES } from '../../shared/span-record.js';
import { serviceNameOf, setAttribute } from '../receiver/attribute-map.js';
import type { DecodeMeter } from '../receiver/decode-meter.js';
import { badPayload } from '../receiver/ingest-errors.js';
import { parseMeteredJson } from '../receiver/metered-json.js';
import type { Rejection, SpanCandidate, ValidationLimits } from '../receiver/validate.js';
import { DEFAULT_LIMITS, reject } from '../receiver/validate.js';

/**
 * Decodes OTLP/JSON (the proto3 JSON mapping with OTLP's deviations: hex trace/span ids, integer
 * enums, int64 as decimal string or number, unknown fields ignored). A body whose envelope is of
 * the wrong shape throws bad_payload; a span with a field of the wrong type is rejected alone.
 * Enum names (`"SPAN_KIND_SERVER"`) are accepted too, as proto3 JSON parsers do.
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A span-level type error: rejects the span being decoded. */
class SpanFieldError extends Error {}

function arrayAt(obj: JsonObject, key: string, where: string): Json[] {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw badPayload(`${where}.${key} must be an array, got ${typeof v}`);
  return v;
}

function objectsAt(obj: JsonObject, key: string, where: string): JsonObject[] {
  return arrayAt(obj, key, where).map((v, i) => {
    if (!isObject(v))
      throw badPayload(`${where}.${key}[${i}] must be an object, got ${Array.isArray(v) ? 'an array' : typeof v}`);
    return v;
  });
}

function str(v: Json, field: string): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new SpanFieldError(`${field} must be a string, got ${typeof v}`);
  return v;
}

function hexId(v: Json, field: string): string {
  return str(v, field).toLowerCase();
}

/** An int64/fixed64 as a bigint: a decimal string or a whole number. */
function nanos(v: Json, field: string): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return BigInt(v);
  // A number past 2^53 is only as precise as the sender made it.
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
  throw new SpanFieldError(
    `${field} must be a non-negative integer (a decimal string or a number), got ${valueShape(v)}`,
  );
}

function int(v: Json, field: string): number {
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw new SpanFieldError(`${field} must be an integer, got ${valueShape(v)}`);
  return n;
}

function enumValue<T extends string>(v: Json, names: readonly T[], prefix: string, field: string): T {
  if (typeof v === 'string' && v.startsWith(prefix)) {
    const name = v.slice(prefix.length) as T;
    if (names.includes(name)) return name;
  }
  const name = names[int(v, field)];
  if (name === undefined)
    throw new SpanFieldError(`${field} must be one of 0-${names.length - 1}, got ${valueShape(v)}`);
  return name;
}

function double(v: Json, field: string): number {
  if (typeof v === 'number') return v;
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new SpanFieldError(`${field} must be a number, got ${valueShape(v)}`);
}

interface Walk {
  limits: ValidationLimits;
  problem?: Rejection;
}

function anyValue(w: Walk, v: Json, depth: number, key: string): AttributeValue {
  if (!isObject(v)) {
    if (v === undefined || v === null) return null;
    throw new SpanFieldError(`attribute "${key}" value must be an AnyValue object, got ${typeof v}`);
  }
  if ('stringValue' in v) return str(v.stringValue, `attribute "${key}" stringValue`);
  if ('boolValue' in v) {
    if (typeof v.boolValue !== 'boolean')
      throw new SpanFieldError(`attribute "${key}" boolValue must be true or false`);
    return v.boolValue;
  }
  if ('intValue' in v) return int(v.intValue, `attribute "${key}" intValue`);
  if ('doubleValue' in v) return double(v.doubleValue, `attribute "${key}" doubleValue`);
  if ('bytesValue' in v) return str(v.bytesValue, `attribute "${key}" bytesValue`);
  const container = isObject(v.arrayValue) ? v.arrayValue : isObject(v.kvlistValue) ? v.kvlistValue : undefined;
  if (container === undefined) return null;
  if (depth + 1 > w.limits.maxDepth) {
    // Not walked any further, so no depth of nesting can exhaust the stack.
    w.problem ??= reject(
      'attribute_over_limit',
      `attribute "${key}" is nested deeper than ${w.limits.maxDepth} levels`,
    );
    return null;
  }
  const values = container.values ?? [];
  if (!Array.isArray(values)) throw new SpanFieldError(`attribute "${key}" values must be an array`);
  if (container === v.arrayValue) return values.map((x) => anyValue(w, x, depth + 1, key));
  const out: Attributes = {};
  for (const kv of values) keyValue(w, kv, depth + 1, out, key);
  return out;
}

function keyValue(w: Walk, kv: Json, depth: number, into: Attributes, outerKey?: string): void {
  if (!isObject(kv)) throw new SpanFieldError(`attributes must be {key, value} objects, got ${typeof kv}`);
  const key = str(kv.key, 'attribute key');
  setAttribute(into, key, anyValue(w, kv.value, depth, outerKey ?? key));
}

function attributes(w: Walk, v: Json, where: string): Attributes {
  const out: Attributes = {};
  if (v === undefined || v === null) return out;
  if (!Array.isArray(v)) throw new SpanFieldError(`${where}.attributes must be an array`);
  for (const kv of v) keyValue(w, kv, 0, out);
  return out;
}

function list<T>(v: Json, field: string, each: (o: JsonObject) => T): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new SpanFieldError(`${field} must be an array`);
  return v.map((o) => {
    if (!isObject(o)) throw new SpanFieldError(`${field} must hold objects`);
    return each(o);
  });
}

interface Shared {
  resource: Attributes;
  serviceName: string;
  scope: InstrumentationScope;
  resourceProblem: Rejection | undefined;
}

function decodeSpan(o: JsonObject, shared: Shared, limits: ValidationLimits): SpanCandidate {
  const span = emptySpan(shared);
  span.traceId = typeof o.traceId === 'string' ? o.traceId.toLowerCase() : '';
  span.spanId = typeof o.spanId === 'string' ? o.spanId.toLowerCase() : '';
  const w: Walk = { limits };
  try {
    span.traceId = hexId(o.traceId, 'traceId');
    span.spanId = hexId(o.spanId, 'spanId');
    span.parentSpanId = hexId(o.parentSpanId, 'parentSpanId');
    span.traceState = str(o.traceState, 'traceState');
    span.name = str(o.name, 'name');
    span.kind = enumValue<SpanKind>(o.kind ?? 0, SPAN_KINDS, 'SPAN_KIND_', 'kind');
    span.startTimeUnixNano = nanos(o.startTimeUnixNano, 'startTimeUnixNano');
    span.endTimeUnixNano = nanos(o.endTimeUnixNano, 'endTimeUnixNano');
    span.attributes = attributes(w, o.attributes, 'span');
    span.events = list(o.events, 'events', (e): SpanEvent => ({
      timeUnixNano: nanos(e.timeUnixNano, 'event timeUnixNano'),
      name: str(e.name, 'event name'),
      attributes: attributes(w, e.attributes, 'event'),
    }));
    span.links = list(o.links, 'links', (l): SpanLink => ({
      traceId: hexId(l.traceId, 'link traceId'),
      spanId: hexId(l.spanId, 'link spanId'),
      traceState: str(l.traceState, 'link traceState'),
      attributes: attributes(w, l.attributes, 'link'),
    }));
    if (o.status !== undefined && o.status !== null) {
      if (!isObject(o.status)) throw new SpanFieldError('status must be an object');
      span.status = {
        code: enumValue<StatusCode>(o.status.code ?? 0, STATUS_CODES, 'STATUS_CODE_', 'status.code'),
        message: str(o.status.message, 'status.message'),
      };
    }
    span.flags = int(o.flags, 'flags') >>> 0;
  } catch (err) {
    if (!(err instanceof SpanFieldError)) throw err;
    return { span, problem: reject('malformed_span', err.message) };
  }
  const problem = w.problem ?? shared.resourceProblem;
  return problem === undefined ? { span } : { span, problem };
}

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest; throws bad_payload on bad JSON or a wrong shape.
 * With a meter, the values the body would build are counted before it is parsed, and its spans as
 * they are decoded (too_many_values, too_many_spans).
 */
export function decodeJsonRequest(
  body: Buffer,
  limits: ValidationLimits = DEFAULT_LIMITS,
  meter?: DecodeMeter,
): SpanCandidate[] {
  return [...otlpJsonSpans(parseMeteredJson(body, meter), limits, meter)];
}

/** The spans of a parsed OTLP/JSON request, one at a time (so a caller can give way between them). */
export function* otlpJsonSpans(
  root: unknown,
  limits: ValidationLimits = DEFAULT_LIMITS,
  meter?: DecodeMeter,
): Generator<SpanCandidate> {
  if (!isObject(root)) {
    throw badPayload(
      `an OTLP/JSON request must be an object with "resourceSpans", got ${Array.isArray(root) ? 'an array (is this a Zipkin payload? send it to /api/v2/spans)' : typeof root}`,
    );
  }
  for (const [i, rs] of objectsAt(root, 'resourceSpans', 'request').entries()) {
    const where = `resourceSpans[${i}]`;
    const w: Walk = { limits };
    let resource: Attributes = {};
    let resourceProblem: Rejection | undefined;
    try {
      resource = isObject(rs.resource) ? attributes(w, rs.resource.attributes, 'resource') : {};
      resourceProblem = w.problem;
    } catch (err) {
      if (!(err instanceof SpanFieldError)) throw err;
      resourceProblem = reject('malformed_span', `resource: ${err.message}`);
    }
    const serviceName = serviceNameOf(resource);
    for (const [j, ss] of objectsAt(rs, 'scopeSpans', where).entries()) {
      const sc = isObject(ss.scope) ? ss.scope : {};
      const scope: InstrumentationScope = {
        name: typeof sc.name === 'string' ? sc.name : '',
        version: typeof sc.version === 'string' ? sc.version : '',
      };
      const shared: Shared = { resource, serviceName, scope, resourceProblem };
      for (const s of objectsAt(ss, 'spans', `${where}.scopeSpans[${j}]`)) {
        meter?.span();
        yield decodeSpan(s, shared, limits);
      }
    }
  }
}
