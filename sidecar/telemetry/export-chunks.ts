import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { encodedAttributesOf } from './pre-encoded-attributes.js';

/**
 * Splitting an export batch by size, not count. The exporter serialises a whole batch on the event
 * loop in one go: 128 plain spans take well under a millisecond, but 128 spans carrying captured
 * features (a thousand values each) took 5-25 ms, which every request arriving meanwhile waited
 * for. A batch heavier than `maxWeight` is exported as several requests, one per chunk, with the
 * event loop free between them.
 */

/**
 * Attribute values a span carries (an array counts its elements), plus its events and links;
 * features already encoded count a value per 16 bytes (copied, not encoded, but still sent).
 */
export function spanWeight(span: ReadableSpan): number {
  let weight = 1 + span.events.length + span.links.length;
  weight += (encodedAttributesOf(span)?.length ?? 0) >>> 4;
  const attrs = span.attributes;
  for (const key in attrs) {
    const v = attrs[key];
    weight += Array.isArray(v) ? v.length + 1 : 1;
  }
  return weight;
}

/** Consecutive chunks of at most `maxWeight` each (a single heavier span is a chunk of its own). */
export function chunkByWeight(spans: readonly ReadableSpan[], maxWeight: number): ReadableSpan[][] {
  const chunks: ReadableSpan[][] = [];
  let current: ReadableSpan[] = [];
  let weight = 0;
  for (const span of spans) {
    const w = spanWeight(span);
    if (current.length > 0 && weight + w > maxWeight) {
      chunks.push(current);
      current = [];
      weight = 0;
    }
    current.push(span);
    weight += w;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
