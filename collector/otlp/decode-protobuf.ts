import type { Attributes, InstrumentationScope, SpanEvent, SpanLink, SpanRecord } from '../../shared/span-record.js';
import { SPAN_KINDS, STATUS_CODES } from '../../shared/span-record.js';
import { serviceNameOf } from '../receiver/attribute-map.js';
import { ProtoReader, WIRE } from './proto-reader.js';
import { emptySpan } from './empty-span.js';
import { decodeKeyValue, type Context, type Problems } from './protobuf-values.js';
import type { DecodeMeter } from '../receiver/decode-meter.js';
import { unlimitedMeter } from '../receiver/decode-meter.js';
import type { Rejection, SpanCandidate, ValidationLimits } from '../receiver/validate.js';
import { DEFAULT_LIMITS, reject } from '../receiver/validate.js';

/**
 * Decodes a binary OTLP ExportTraceServiceRequest straight into span records, field numbers as in
 * opentelemetry/proto/{collector/trace,trace,common,resource}/v1. Hand-written over a bounds-checked
 * reader: on a 512-span batch it measured about 3x faster than protobufjs reflection followed by
 * the same mapping (2.2-3.8 ms against 6.5-7.7 ms per batch, same runs, on a busy 2-core machine).
 * Malformed wire data throws a bad_payload IngestError;
 * a value nested deeper than limits.maxDepth is skipped unread and rejects only its span. Every
 * repeated item (span, key-value, array element, event, link, resource and scope) is counted on the
 * meter before it is built, so tiny repeated fields cannot make a small body build millions of objects.
 */

function decodeEvent(c: Context, end: number, p: Problems): SpanEvent {
  const { r } = c;
  c.meter.value();
  const event: SpanEvent = { timeUnixNano: 0n, name: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag >>> 3) {
      case 1:
        r.expect(tag & 7, WIRE.I64, 'Event.time_unix_nano');
        event.timeUnixNano = r.fixed64(end);
        break;
      case 2:
        r.expect(tag & 7, WIRE.LEN, 'Event.name');
        event.name = r.string(end);
        break;
      case 3:
        r.expect(tag & 7, WIRE.LEN, 'Event.attributes');
        decodeKeyValue(c, r.lengthDelimited(end), 0, event.attributes, p);
        break;
      default:
        r.skip(tag & 7, end);
    }
  }
  return event;
}

function decodeLink(c: Context, end: number, p: Problems): SpanLink {
  const { r } = c;
  c.meter.value();
  const link: SpanLink = { traceId: '', spanId: '', traceState: '', attributes: {} };
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag >>> 3) {
      case 1:
        r.expect(tag & 7, WIRE.LEN, 'Link.trace_id');
        link.traceId = r.hex(end);
        break;
      case 2:
        r.expect(tag & 7, WIRE.LEN, 'Link.span_id');
        link.spanId = r.hex(end);
        break;
      case 3:
        r.expect(tag & 7, WIRE.LEN, 'Link.trace_state');
        link.traceState = r.string(end);
        break;
      case 4:
        r.expect(tag & 7, WIRE.LEN, 'Link.attributes');
        decodeKeyValue(c, r.lengthDelimited(end), 0, link.attributes, p);
        break;
      default:
        r.skip(tag & 7, end);
    }
  }
  return link;
}

function decodeStatus(c: Context, end: number, span: SpanRecord, p: Problems): void {
  const { r } = c;
  while (r.pos < end) {
    const tag = r.uint32(end);
    const field = tag >>> 3;
    if (field === 2) {
      r.expect(tag & 7, WIRE.LEN, 'Status.message');
      span.status.message = r.string(end);
    } else if (field === 3) {
      r.expect(tag & 7, WIRE.VARINT, 'Status.code');
      const n = r.uint32(end);
      const code = STATUS_CODES[n];
      if (code === undefined)
        p.problem ??= reject('malformed_span', `status code ${n} is not an OTLP StatusCode (0-2)`);
      else span.status.code = code;
    } else r.skip(tag & 7, end);
  }
}

interface Shared {
  resource: Attributes;
  serviceName: string;
  scope: InstrumentationScope;
  resourceProblem: Rejection | undefined;
}

function decodeSpan(c: Context, end: number, shared: Shared): SpanCandidate {
  const { r } = c;
  c.meter.span();
  const p: Problems = {};
  const span = emptySpan(shared);
  while (r.pos < end) {
    const tag = r.uint32(end);
    const wt = tag & 7;
    switch (tag >>> 3) {
      case 1:
        r.expect(wt, WIRE.LEN, 'Span.trace_id');
        span.traceId = r.hex(end);
        break;
      case 2:
        r.expect(wt, WIRE.LEN, 'Span.span_id');
        span.spanId = r.hex(end);
        break;
      case 3:
        r.expect(wt, WIRE.LEN, 'Span.trace_state');
        span.traceState = r.string(end);
        break;
      case 4:
        r.expect(wt, WIRE.LEN, 'Span.parent_span_id');
        span.parentSpanId = r.hex(end);
        break;
      case 5:
        r.expect(wt, WIRE.LEN, 'Span.name');
        span.name = r.string(end);
        break;
      case 6: {
        r.expect(wt, WIRE.VARINT, 'Span.kind');
        const n = r.uint32(end);
        const kind = SPAN_KINDS[n];
        if (kind === undefined) p.problem ??= reject('malformed_span', `kind ${n} is not an OTLP SpanKind (0-5)`);
        else span.kind = kind;
        break;
      }
      case 7:
        r.expect(wt, WIRE.I64, 'Span.start_time_unix_nano');
        span.startTimeUnixNano = r.fixed64(end);
        break;
      case 8:
        r.expect(wt, WIRE.I64, 'Span.end_time_unix_nano');
        span.endTimeUnixNano = r.fixed64(end);
        break;
      case 9:
        r.expect(wt, WIRE.LEN, 'Span.attributes');
        decodeKeyValue(c, r.lengthDelimited(end), 0, span.attributes, p);
        break;
      case 11:
        r.expect(wt, WIRE.LEN, 'Span.events');
        span.events.push(decodeEvent(c, r.lengthDelimited(end), p));
        break;
      case 13:
        r.expect(wt, WIRE.LEN, 'Span.links');
        span.links.push(decodeLink(c, r.lengthDelimited(end), p));
        break;
      case 15:
        r.expect(wt, WIRE.LEN, 'Span.status');
        decodeStatus(c, r.lengthDelimited(end), span, p);
        break;
      case 16:
        r.expect(wt, WIRE.I32, 'Span.flags');
        span.flags = r.fixed32(end);
        break;
      default:
        r.skip(wt, end);
    }
  }
  const problem = p.problem ?? shared.resourceProblem;
  return problem === undefined ? { span } : { span, problem };
}

/** Reads the byte ranges of repeated field `field` (and lets `other` handle the rest). */
function ranges(
  c: Context,
  end: number,
  field: number,
  name: string,
  other: (field: number, wt: number) => void,
): [number, number][] {
  const { r } = c;
  const out: [number, number][] = [];
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === field) {
      r.expect(tag & 7, WIRE.LEN, name);
      const stop = r.lengthDelimited(end);
      c.meter.value();
      out.push([r.pos, stop]);
      r.pos = stop;
    } else other(tag >>> 3, tag & 7);
  }
  return out;
}

function* decodeScopeSpans(c: Context, end: number, resource: Omit<Shared, 'scope'>): Generator<SpanCandidate> {
  const { r } = c;
  const scope: InstrumentationScope = { name: '', version: '' };
  // Fields may come in any order: note where the spans are, decode them once the scope is known.
  const spans = ranges(c, end, 2, 'ScopeSpans.spans', (field, wt) => {
    if (field !== 1) return r.skip(wt, end);
    r.expect(wt, WIRE.LEN, 'ScopeSpans.scope');
    const stop = r.lengthDelimited(end);
    while (r.pos < stop) {
      const tag = r.uint32(stop);
      if (tag >>> 3 === 1) {
        r.expect(tag & 7, WIRE.LEN, 'InstrumentationScope.name');
        scope.name = r.string(stop);
      } else if (tag >>> 3 === 2) {
        r.expect(tag & 7, WIRE.LEN, 'InstrumentationScope.version');
        scope.version = r.string(stop);
      } else r.skip(tag & 7, stop);
    }
  });
  const shared: Shared = { ...resource, scope };
  for (const [start, stop] of spans) {
    r.pos = start;
    yield decodeSpan(c, stop, shared);
  }
  r.pos = end;
}

function* decodeResourceSpans(c: Context, end: number): Generator<SpanCandidate> {
  const { r } = c;
  const attributes: Attributes = {};
  const p: Problems = {};
  const scopes = ranges(c, end, 2, 'ResourceSpans.scope_spans', (field, wt) => {
    if (field !== 1) return r.skip(wt, end);
    r.expect(wt, WIRE.LEN, 'ResourceSpans.resource');
    const stop = r.lengthDelimited(end);
    while (r.pos < stop) {
      const tag = r.uint32(stop);
      if (tag >>> 3 === 1) {
        r.expect(tag & 7, WIRE.LEN, 'Resource.attributes');
        decodeKeyValue(c, r.lengthDelimited(stop), 0, attributes, p);
      } else r.skip(tag & 7, stop);
    }
  });
  const shared = { resource: attributes, serviceName: serviceNameOf(attributes), resourceProblem: p.problem };
  for (const [start, stop] of scopes) {
    r.pos = start;
    yield* decodeScopeSpans(c, stop, shared);
  }
  r.pos = end;
}

/**
 * Decodes an ExportTraceServiceRequest; throws a bad_payload IngestError on malformed bytes, and
 * too_many_values / too_many_spans when the meter's limits are passed.
 */
export function decodeProtobufRequest(
  body: Buffer,
  limits: ValidationLimits = DEFAULT_LIMITS,
  meter: DecodeMeter = unlimitedMeter(),
): SpanCandidate[] {
  return [...protobufSpans(body, limits, meter)];
}

/** The spans of an ExportTraceServiceRequest, one at a time (so a caller can give way between them). */
export function* protobufSpans(body: Buffer, limits: ValidationLimits, meter: DecodeMeter): Generator<SpanCandidate> {
  // The strings decoded from the body may add up to as much as the body.
  meter.charge(body.length, 'the decoded strings');
  const c: Context = { r: new ProtoReader(body), limits, meter };
  const resources = ranges(c, body.length, 1, 'ExportTraceServiceRequest.resource_spans', (_f, wt) =>
    c.r.skip(wt, body.length),
  );
  for (const [start, stop] of resources) {
    c.r.pos = start;
    yield* decodeResourceSpans(c, stop);
  }
}
