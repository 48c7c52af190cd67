import type { AttributeValue } from '../../shared/span-record.js';

/** How a tag value compares (TraceQuery.tags, request and subject ids): strings as they are, numbers and booleans as printed, others as JSON. */
export function attributeText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * The subject ids `enduser.pseudo.id` carries: one text, or — a batch whose rows belong to several
 * subjects — an array with one per row; each distinct id once (the key index holds each).
 */
export function subjectIdsOf(value: AttributeValue | undefined): string[] {
  if (Array.isArray(value)) return [...new Set(value.filter((v): v is string => typeof v === 'string' && v !== ''))];
  const one = attributeText(value);
  return one === undefined || one === '' ? [] : [one];
}
