import { ENDUSER, ML } from '../../shared/attribute-keys.js';
import type { SpanRecord } from '../../shared/span-record.js';
import type { StoredRows, StoredSpan } from '../storage/sqlite/stored-rows.js';
import { isRowAttribute } from './batch-rows.js';

/**
 * Every stored span of a data subject — found through the key index under each of their
 * pseudonyms, so the list is complete (never the capped search) — and, per span, which of its rows
 * are the subject's. A span whose `enduser.pseudo.id` is one text is the subject's alone. A batch
 * span carries one pseudonym per row; the subject's rows are the indexes holding theirs. When the
 * array does not line up with the rows (an older sidecar wrote each subject once), the rows cannot
 * be told apart and all are taken as the subject's: `ambiguous`, and counted in the receipt.
 */
export interface SubjectSpan extends StoredSpan {
  /** 'all': the span is the subject's alone; else the indexes of the subject's rows. */
  readonly rows: 'all' | readonly number[];
  readonly ambiguous: boolean;
}

export function subjectSpans(stored: StoredRows, pseudonyms: readonly string[]): SubjectSpan[] {
  const byRow = new Map<number, StoredSpan>();
  for (const p of pseudonyms) for (const s of stored.ofSubject(p)) byRow.set(s.row, s);
  const mine = new Set(pseudonyms);
  return [...byRow.values()].sort((a, b) => a.row - b.row).map((s) => ({ ...s, ...subjectRowsOf(s.span, mine) }));
}

/** Which rows of the span belong to the subject (pure). */
export function subjectRowsOf(
  span: SpanRecord,
  pseudonyms: ReadonlySet<string>,
): { rows: 'all' | number[]; ambiguous: boolean } {
  const ids = span.attributes[ENDUSER.pseudoId];
  if (!Array.isArray(ids)) return { rows: 'all', ambiguous: false };
  const rows: number[] = [];
  ids.forEach((id, i) => {
    if (typeof id === 'string' && pseudonyms.has(id)) rows.push(i);
  });
  if (rows.length === ids.length) return { rows: 'all', ambiguous: false };
  if (ids.length !== batchRows(span)) return { rows: 'all', ambiguous: true };
  return { rows, ambiguous: false };
}

/** Rows of the batch: `ml.batch.size`, else the longest row array. */
function batchRows(span: SpanRecord): number {
  const size = span.attributes[ML.batchSize];
  if (typeof size === 'number' && Number.isInteger(size) && size > 0) return size;
  let longest = 0;
  for (const [name, value] of Object.entries(span.attributes))
    if (isRowAttribute(name) && Array.isArray(value)) longest = Math.max(longest, value.length);
  return longest;
}
