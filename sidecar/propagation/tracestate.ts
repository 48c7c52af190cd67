import type { TraceState } from '@opentelemetry/api';

/**
 * W3C Trace Context Level 2 `tracestate`: a strict parser (any invalid member or more than 32
 * members discards the whole header, as the W3C test suite expects; a duplicated key keeps its
 * left-most member), a serialiser that truncates by whole entries, and an immutable TraceState that
 * keeps the members' order.
 */

export type TraceStateEntry = readonly [key: string, value: string];

export const MAX_MEMBERS = 32;
/** Longest tracestate the sidecar propagates (the spec's recommended minimum); documented limit. */
export const MAX_TRACESTATE_LENGTH = 512;
/** Entries longer than this go first when the header must be truncated. */
const LONG_ENTRY = 128;

// Level 2 grammar: one key form, `@` allowed anywhere but first, 256 characters at most.
const KEY = /^[a-z0-9][a-z0-9_\-*/@]{0,255}$/;
// Printable ASCII except `,` and `=`; must not end with a space.
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;
const OWS = /^[ \t]+|[ \t]+$/g;

export function isValidKey(key: string): boolean {
  return KEY.test(key);
}

export function isValidValue(value: string): boolean {
  return VALUE.test(value);
}

/**
 * Parses one or more `tracestate` header values (combined in order, as RFC 9110 says). Returns the
 * entries, an empty list for an empty header, or undefined when the header must be discarded.
 *
 * A key seen twice (in one header or across several) keeps its first, left-most member and drops
 * the later ones, which the spec allows ("vendors MAY also discard duplicate keys"): a vendor's
 * most recent entry is the left-most (updated keys move left), and forwarding the duplicate as
 * received would make a strict next hop discard the whole header. The 32-member limit counts the
 * members as received.
 */
export function parseTraceState(header: string | string[] | undefined): TraceStateEntry[] | undefined {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(',') : header;
  const entries: TraceStateEntry[] = [];
  const seen = new Set<string>();
  let members = 0;
  for (const raw of text.split(',')) {
    const member = raw.replace(OWS, '');
    if (member === '') continue; // empty members are allowed (joined empty headers)
    if (++members > MAX_MEMBERS) return undefined;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const value = member.slice(eq + 1);
    if (!isValidKey(key) || !isValidValue(value)) return undefined;
    if (seen.has(key)) continue;
    seen.add(key);
    entries.push([key, value]);
  }
  return entries;
}

function entryLength(e: TraceStateEntry): number {
  return e[0].length + 1 + e[1].length;
}

/**
 * Serialises entries, dropping whole entries until the result fits `maxLength`: entries longer than
 * 128 characters first (right-most first), then from the end of the list, as the spec recommends.
 */
export function serializeTraceState(entries: readonly TraceStateEntry[], maxLength = MAX_TRACESTATE_LENGTH): string {
  const kept = [...entries];
  let total = kept.reduce((n, e) => n + entryLength(e), 0) + Math.max(0, kept.length - 1);
  while (total > maxLength && kept.length > 0) {
    let idx = -1;
    for (let i = kept.length - 1; i >= 0; i--) {
      if (entryLength(kept[i] as TraceStateEntry) > LONG_ENTRY) {
        idx = i;
        break;
      }
    }
    if (idx === -1) idx = kept.length - 1;
    const [removed] = kept.splice(idx, 1);
    total -= entryLength(removed as TraceStateEntry) + (kept.length > 0 ? 1 : 0);
  }
  return kept.map(([k, v]) => `${k}=${v}`).join(',');
}

/** An immutable TraceState for the OpenTelemetry API that keeps the members exactly as received. */
export class W3CTraceState implements TraceState {
  constructor(private readonly entries: readonly TraceStateEntry[] = []) {}

  static parse(header: string | string[] | undefined): W3CTraceState | undefined {
    const entries = parseTraceState(header);
    return entries === undefined ? undefined : new W3CTraceState(entries);
  }

  /** A new or updated key moves to the front (left), as the spec requires. */
  set(key: string, value: string): W3CTraceState {
    if (!isValidKey(key) || !isValidValue(value)) return this;
    const rest = this.entries.filter(([k]) => k !== key);
    return new W3CTraceState([[key, value] as const, ...rest].slice(0, MAX_MEMBERS));
  }

  unset(key: string): W3CTraceState {
    return new W3CTraceState(this.entries.filter(([k]) => k !== key));
  }

  get(key: string): string | undefined {
    return this.entries.find(([k]) => k === key)?.[1];
  }

  serialize(): string {
    return serializeTraceState(this.entries);
  }
}
