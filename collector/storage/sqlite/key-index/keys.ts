import { keyHash } from '../row-codec.js';

/** The three kinds of lookup key, and how a value becomes a 48-bit key. */
export const KEY_KIND = { trace: 0, request: 1, subject: 2 } as const;
export type KeyKind = (typeof KEY_KIND)[keyof typeof KEY_KIND];

/** Trace ids are random: their low 48 bits are the key (Zipkin's 64-bit ids are zero-padded on the left). */
export function traceKey(traceIdHex: string): number {
  return parseInt(traceIdHex.slice(20), 16);
}

/** Request and subject ids are any text: a 48-bit hash of it. */
export function textKey(text: string): number {
  return keyHash(text) % 0x1_0000_0000_0000;
}
