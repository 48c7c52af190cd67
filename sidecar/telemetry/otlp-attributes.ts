import type { Attributes } from '@opentelemetry/api';
import { ProtoWriter } from './proto-writer.js';

/**
 * OTLP KeyValue lists (span, event, link, scope and resource attributes), written as the stock
 * serializer of @opentelemetry/otlp-transformer writes them (see otlp-proto.ts).
 */

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** An AnyValue's one field; integers within int64 are int_value, other numbers double_value. */
export function anyValue(w: ProtoWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.byte(0x0a);
      w.string(value);
      return;
    case 'boolean':
      w.byte(0x10);
      w.byte(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.byte(0x18);
        w.varint(value);
      } else {
        w.byte(0x21);
        w.double(value);
      }
      return;
    default:
  }
  if (value instanceof Uint8Array) {
    w.byte(0x3a);
    w.bytes(value);
  } else if (Array.isArray(value)) {
    w.byte(0x2a);
    const at = w.begin();
    for (const item of value) {
      w.byte(0x0a);
      const itemAt = w.begin();
      anyValue(w, item);
      w.end(itemAt);
    }
    w.end(at);
  } else if (typeof value === 'object' && value !== null) {
    w.byte(0x32);
    const at = w.begin();
    const obj = value as Record<string, unknown>;
    for (const k in obj) {
      if (!Object.prototype.hasOwnProperty.call(obj, k)) continue;
      w.byte(0x0a);
      const kvAt = w.begin();
      w.byte(0x0a);
      w.string(k);
      w.byte(0x12);
      const vAt = w.begin();
      anyValue(w, obj[k]);
      w.end(vAt);
      w.end(kvAt);
    }
    w.end(at);
  }
}

/** `repeated KeyValue` under field `field` (1-15). */
export function attributes(w: ProtoWriter, attrs: Attributes, field: number): void {
  const tag = (field << 3) | 2;
  for (const key in attrs) {
    if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
    w.byte(tag);
    const kvAt = w.begin();
    w.byte(0x0a);
    w.string(key);
    w.byte(0x12);
    const vAt = w.begin();
    anyValue(w, attrs[key]);
    w.end(vAt);
    w.end(kvAt);
  }
}
