import { ENDUSER } from '../../shared/attribute-keys.js';
import type { SpanRecord } from '../../shared/span-record.js';

/** The subject pseudonyms a span carries: `enduser.pseudo.id` is one string, or one per subject of a batch. */
export function pseudonymsOf(span: Pick<SpanRecord, 'attributes'>): string[] {
  const v = span.attributes[ENDUSER.pseudoId];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((p): p is string => typeof p === 'string');
  return [];
}

/** Whether any of the span's subjects is in the set. */
export function carriesAny(span: Pick<SpanRecord, 'attributes'>, subjects: ReadonlySet<string>): boolean {
  if (subjects.size === 0) return false;
  const v = span.attributes[ENDUSER.pseudoId];
  if (typeof v === 'string') return subjects.has(v);
  return Array.isArray(v) && v.some((p) => typeof p === 'string' && subjects.has(p));
}
