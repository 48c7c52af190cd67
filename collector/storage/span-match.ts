import type { AttributeValue } from '../../shared/span-record.js';

/** How a tag value compares (TraceQuery.tags, request and subject ids): strings as they are, numbers and booleans as printed, others as JSON. */
export function attributeText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
