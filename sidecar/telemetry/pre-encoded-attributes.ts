/**
 * Captured features encoded where they were captured. A capture thread writes a span's feature
 * attributes (about a thousand values) straight into their OTLP/protobuf bytes; the proxy's event
 * loop then never unpacks, sets or encodes them one by one: the exporter copies the bytes into the
 * span's message (otlp-proto.ts). What the collector receives is the same attributes.
 *
 * The bytes travel beside the span's other attributes under a symbol (invisible to Object.keys,
 * so nothing else sees them) and then beside the span in a WeakMap (gone with the span).
 */

const ENCODED = Symbol('infertrace.encodedAttributes');

/** OTLP/protobuf bytes as a latin1 string, a byte a character (feature-encoder.ts says why). */
export type EncodedAttributes = string;

type Carrier = { [ENCODED]?: EncodedAttributes };

/** `attrs` with `bytes` (attributes already encoded) carried beside them. */
export function withEncodedAttributes<T extends object>(attrs: T, bytes: EncodedAttributes): T {
  (attrs as Carrier)[ENCODED] = bytes;
  return attrs;
}

/** The encoded attributes carried beside `attrs`, if any. */
export function carriedEncodedAttributes(attrs: object): EncodedAttributes | undefined {
  return (attrs as Carrier)[ENCODED];
}

const bySpan = new WeakMap<object, EncodedAttributes>();

/** Gives a span attributes already encoded; set before the span ends. */
export function attachEncodedAttributes(span: object, bytes: EncodedAttributes): void {
  bySpan.set(span, bytes);
}

/** A span's attributes already encoded, if it has any. */
export function encodedAttributesOf(span: object): EncodedAttributes | undefined {
  return bySpan.get(span);
}
