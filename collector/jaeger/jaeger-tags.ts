import type { AttributeValue, Attributes } from '../../shared/span-record.js';
import type { JaegerKeyValue } from './jaeger-types.js';

/**
 * Typed Jaeger tags from span attributes, as Jaeger's OTLP translator types them: strings stay
 * strings, booleans are `bool`, whole numbers `int64`, other numbers `float64`, and arrays and
 * maps become their JSON text. The flat span record keeps numbers as JS numbers, so a double that
 * happens to be whole (2.0) comes out as int64; bytes arrive as base64 text and stay `string`.
 */
export function toJaegerTag(key: string, value: AttributeValue): JaegerKeyValue {
  if (typeof value === 'string') return { key, type: 'string', value };
  if (typeof value === 'boolean') return { key, type: 'bool', value };
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return { key, type: 'int64', value };
    return { key, type: 'float64', value };
  }
  // An empty OTLP value (null here) becomes an empty string tag, as in Jaeger's translator.
  if (value === null) return { key, type: 'string', value: '' };
  return { key, type: 'string', value: JSON.stringify(value) };
}

/** Tags for every attribute, in the attributes' own order, leaving out the keys in `skip`. */
export function toJaegerTags(attributes: Attributes, skip: ReadonlySet<string> = new Set()): JaegerKeyValue[] {
  const tags: JaegerKeyValue[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (!skip.has(key)) tags.push(toJaegerTag(key, value));
  }
  return tags;
}

export function stringTag(key: string, value: string): JaegerKeyValue {
  return { key, type: 'string', value };
}
