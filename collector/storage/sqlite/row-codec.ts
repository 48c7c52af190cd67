import type { Attributes, SpanEvent, SpanLink, SpanRecord } from '../../../shared/span-record.js';

/**
 * Pure conversions between span fields and their stored form: ids as raw bytes, lookup keys as
 * 53-bit hashes, and the rarely-filtered remainder of a span as one compact JSON text.
 */

export function hexToBlob(hex: string): Buffer {
  return Buffer.from(hex, 'hex');
}

export function blobToHex(blob: Uint8Array): string {
  return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString('hex');
}

/**
 * A 53-bit hash of a text (two 32-bit multiply-xorshift lanes over its UTF-16 code units), so a
 * lookup key fits a JavaScript number and an SQLite integer. Not cryptographic: collisions are
 * possible and readers compare the real value; it only keeps the index small.
 */
export function keyHash(text: string): number {
  let a = 0x9e3779b9 ^ text.length;
  let b = 0x85ebca6b ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  a = Math.imul(a ^ (a >>> 16), 0x7feb352d);
  a = Math.imul(a ^ (a >>> 15), 0x846ca68b) ^ b;
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35) ^ a;
  return (b & 0x1fffff) * 0x1_0000_0000 + (a >>> 0);
}

/** What of a span is kept as JSON; empty parts are left out to save bytes. */
export interface SpanBody {
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  traceState: string;
  statusMessage: string;
  flags: number;
}

interface StoredBody {
  a?: Attributes;
  /** Events: [offset from span start in ns as a number, or the absolute time as a string, name, attributes?]. */
  e?: [number | string, string, Attributes?][];
  l?: [string, string, string, Attributes?][];
  t?: string;
  m?: string;
  f?: number;
}

const isEmpty = (o: object): boolean => {
  for (const _ in o) return false;
  return true;
};

/** A span's stored body (everything the indexed columns do not hold). */
export function encodeSpanBody(span: SpanRecord): string {
  return encodeBody(
    {
      attributes: span.attributes,
      events: span.events,
      links: span.links,
      traceState: span.traceState,
      statusMessage: span.status.message,
      flags: span.flags,
    },
    span.startTimeUnixNano,
  );
}

export function encodeBody(body: SpanBody, startNano: bigint): string {
  // The common case — attributes only — without building a wrapper object.
  if (body.events.length === 0 && body.links.length === 0 && body.traceState === '' && body.statusMessage === '') {
    const flags = body.flags === 0 ? '' : `,"f":${body.flags}`;
    if (isEmpty(body.attributes)) return flags === '' ? '{}' : `{${flags.slice(1)}}`;
    return `{"a":${JSON.stringify(body.attributes)}${flags}}`;
  }
  const out: StoredBody = {};
  if (!isEmpty(body.attributes)) out.a = body.attributes;
  if (body.events.length > 0) {
    out.e = body.events.map((ev) => {
      const offset = ev.timeUnixNano - startNano;
      const time =
        offset >= 0n && offset <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(offset) : ev.timeUnixNano.toString();
      return isEmpty(ev.attributes) ? [time, ev.name] : [time, ev.name, ev.attributes];
    });
  }
  if (body.links.length > 0) {
    out.l = body.links.map((l) =>
      isEmpty(l.attributes) ? [l.traceId, l.spanId, l.traceState] : [l.traceId, l.spanId, l.traceState, l.attributes],
    );
  }
  if (body.traceState !== '') out.t = body.traceState;
  if (body.statusMessage !== '') out.m = body.statusMessage;
  if (body.flags !== 0) out.f = body.flags;
  return JSON.stringify(out);
}

export function decodeBody(text: string, startNano: bigint): SpanBody {
  const s = JSON.parse(text) as StoredBody;
  return {
    attributes: s.a ?? {},
    events: (s.e ?? []).map(([time, name, attributes]) => ({
      timeUnixNano: typeof time === 'number' ? startNano + BigInt(time) : BigInt(time),
      name,
      attributes: attributes ?? {},
    })),
    links: (s.l ?? []).map(([traceId, spanId, traceState, attributes]) => ({
      traceId,
      spanId,
      traceState,
      attributes: attributes ?? {},
    })),
    traceState: s.t ?? '',
    statusMessage: s.m ?? '',
    flags: s.f ?? 0,
  };
}
