import { ENDUSER } from '../../shared/attribute-keys.js';
import type { SpanRecord } from '../../shared/span-record.js';

/** Whether any of the span's subjects (`enduser.pseudo.id`: one, or one per batch row) is in the set; cheap on the ingest path. */
export function carriesAny(span: Pick<SpanRecord, 'attributes'>, subjects: ReadonlySet<string>): boolean {
  if (subjects.size === 0) return false;
  const v = span.attributes[ENDUSER.pseudoId];
  if (typeof v === 'string') return subjects.has(v);
  return Array.isArray(v) && v.some((p) => typeof p === 'string' && subjects.has(p));
}
