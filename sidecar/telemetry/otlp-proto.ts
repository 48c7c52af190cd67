import { protectTraceState } from '../capture/privacy/trace-state.js';
import type { Attributes, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  ProtobufTraceSerializer,
  type IExportTraceServiceResponse,
  type ISerializer,
} from '@opentelemetry/otlp-transformer';
import { attributes } from './otlp-attributes.js';
import { encodedAttributesOf } from './pre-encoded-attributes.js';
import { ProtoWriter } from './proto-writer.js';

/**
 * OTLP/protobuf encoding of finished spans (ExportTraceServiceRequest), byte for byte what
 * `ProtobufTraceSerializer` of @opentelemetry/otlp-transformer 0.223 writes: same field order, same
 * fields left out, same grouping by resource and scope object. Measured 2.7x faster on plain
 * spans (3.7 -> 1.4 µs) and 2.5x on spans with captured features (94 -> 38 µs): one pass into a
 * reused buffer, no size-estimation pass, one-byte tags written directly.
 * test/sidecar/telemetry/otlp-proto.test.ts compares the bytes with the stock serializer.
 */

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];

/** A hex id (trace, span) as length-prefixed bytes. */
function hexBytes(w: ProtoWriter, hex: string): void {
  const n = hex.length >>> 1;
  w.varint(n);
  w.ensure(n);
  const buf = w.buf;
  for (let i = 0; i < hex.length; i += 2) {
    buf[w.pos++] = (nibble(hex.charCodeAt(i)) << 4) | nibble(hex.charCodeAt(i + 1));
  }
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return c - 55;
}

/** [seconds, nanos] as fixed64 nanoseconds, with the stock writer's exact 32-bit arithmetic. */
function hrTime(w: ProtoWriter, t: HrTime): void {
  const seconds = t[0];
  const nanos = t[1];
  const lower = (seconds & 0xffff) * 1e9;
  const upper = ((seconds / 0x10000) >>> 0) * 1e9;
  const low = (lower >>> 0) + (((upper & 0xffff) * 0x10000) >>> 0) + nanos;
  const high = Math.floor(lower / 0x100000000) + ((upper / 0x10000) >>> 0) + Math.floor(low / 0x100000000);
  w.fixed64(low >>> 0, high >>> 0);
}

/** W3C trace flags plus OTLP's "has is-remote" and "is remote" bits. */
function flags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
}

function span(w: ProtoWriter, s: ReadableSpan): void {
  const ctx = s.spanContext();
  w.byte(0x0a);
  hexBytes(w, ctx.traceId);
  w.byte(0x12);
  hexBytes(w, ctx.spanId);
  const serialized = ctx.traceState?.serialize();
  const state = serialized ? protectTraceState(serialized) : undefined;
  if (state) {
    w.byte(0x1a);
    w.string(state);
  }
  const parent = s.parentSpanContext?.spanId;
  if (parent) {
    w.byte(0x22);
    hexBytes(w, parent);
  }
  w.byte(0x2a);
  w.string(s.name);
  const kind = s.kind == null ? 0 : s.kind + 1;
  if (kind !== 0) {
    w.byte(0x30);
    w.varint(kind);
  }
  w.byte(0x39);
  hrTime(w, s.startTime);
  w.byte(0x41);
  hrTime(w, s.endTime);
  if (s.attributes) attributes(w, s.attributes, 9);
  const encoded = encodedAttributesOf(s);
  if (encoded !== undefined) w.rawLatin1(encoded);
  w.byte(0x50);
  w.varint(s.droppedAttributesCount);
  for (const e of s.events) {
    w.byte(0x5a);
    const at = w.begin();
    w.byte(0x09);
    hrTime(w, e.time);
    w.byte(0x12);
    w.string(e.name);
    if (e.attributes) attributes(w, e.attributes, 3);
    w.byte(0x20);
    w.varint(e.droppedAttributesCount || 0);
    w.end(at);
  }
  w.byte(0x60);
  w.varint(s.droppedEventsCount);
  for (const l of s.links) {
    w.byte(0x6a);
    const at = w.begin();
    w.byte(0x0a);
    hexBytes(w, l.context.traceId);
    w.byte(0x12);
    hexBytes(w, l.context.spanId);
    const linked = l.context.traceState?.serialize();
    const ls = linked ? protectTraceState(linked) : undefined;
    if (ls) {
      w.byte(0x1a);
      w.string(ls);
    }
    if (l.attributes) attributes(w, l.attributes, 4);
    w.byte(0x28);
    w.varint(l.droppedAttributesCount || 0);
    w.byte(0x35);
    w.fixed32(flags(l.context.traceFlags, l.context.isRemote));
    w.end(at);
  }
  w.byte(0x70);
  w.varint(s.droppedLinksCount);
  w.byte(0x7a);
  const st = w.begin();
  if (s.status.message) {
    w.byte(0x12);
    w.string(s.status.message);
  }
  w.byte(0x18);
  w.varint(s.status.code);
  w.end(st);
  w.byte(0x85); // field 16, fixed32: two-byte tag
  w.byte(0x01);
  w.fixed32(flags(ctx.traceFlags, s.parentSpanContext?.isRemote));
}

function scope(w: ProtoWriter, sc: Scope): void {
  w.byte(0x0a);
  const at = w.begin();
  w.byte(0x0a);
  w.string(sc.name);
  if (sc.version) {
    w.byte(0x12);
    w.string(sc.version);
  }
  const extra = sc as { attributes?: Attributes; droppedAttributesCount?: number };
  if (extra.attributes) attributes(w, extra.attributes, 3);
  if (extra.droppedAttributesCount) {
    w.byte(0x20);
    w.varint(extra.droppedAttributesCount);
  }
  w.end(at);
}

function resource(w: ProtoWriter, r: Resource): void {
  w.byte(0x0a);
  const at = w.begin();
  if (r.attributes) attributes(w, r.attributes, 1);
  w.byte(0x10);
  w.byte(0);
  w.end(at);
}

/** Reused across exports (serialisation is synchronous); the result is copied out. */
const shared = new ProtoWriter(1 << 16);

export function encodeTraceRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const byResource = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const s of spans) {
    let scopes = byResource.get(s.resource);
    if (!scopes) byResource.set(s.resource, (scopes = new Map()));
    const list = scopes.get(s.instrumentationScope);
    if (list) list.push(s);
    else scopes.set(s.instrumentationScope, [s]);
  }
  const w = shared;
  w.reset();
  for (const [res, scopes] of byResource) {
    w.byte(0x0a);
    const rsAt = w.begin();
    resource(w, res);
    for (const list of scopes.values()) {
      const sc = (list[0] as ReadableSpan).instrumentationScope;
      w.byte(0x12);
      const ssAt = w.begin();
      scope(w, sc);
      for (const s of list) {
        w.byte(0x12);
        const spAt = w.begin();
        span(w, s);
        w.end(spAt);
      }
      if (sc.schemaUrl) {
        w.byte(0x1a);
        w.string(sc.schemaUrl);
      }
      w.end(ssAt);
    }
    if (res.schemaUrl) {
      w.byte(0x1a);
      w.string(res.schemaUrl);
    }
    w.end(rsAt);
  }
  return w.buf.slice(0, w.pos);
}

/** The exporter's serializer: our encoder, the stock response decoder (partial-success warnings). */
export const ProtoTraceSerializer: ISerializer<ReadableSpan[], IExportTraceServiceResponse> = {
  serializeRequest: (spans) => encodeTraceRequest(spans),
  deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
};
