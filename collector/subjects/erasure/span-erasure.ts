import { ENDUSER, ML } from '../../../shared/attribute-keys.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { attributeText } from '../../storage/span-match.js';
import type { StoredSpan } from '../../storage/sqlite/stored-rows.js';
import { onlyRows, withoutRows } from '../batch-rows.js';
import type { SubjectSpan } from '../subject-spans.js';
import { anonymised } from './anonymise.js';

/**
 * What an erasure does to one stored span (pure). `delete`: a span that is the subject's alone goes,
 * with the other spans of the same request (same trace and `ml.request.id`, no subject of their
 * own: the sidecar's CLIENT span); `anonymise`: they stay, anonymised (anonymise.ts). In both modes
 * a batch shared with other people keeps their rows: only the subject's rows, and their pseudonyms,
 * are taken out of every `ml.input.*` / `ml.output.*` array, and the span is rewritten.
 * `forget` is what the span gave the drift and relationship summaries on the subject's behalf.
 */
export type EraseMode = 'delete' | 'anonymise';

export const ERASE_MODES: readonly EraseMode[] = ['delete', 'anonymise'];

export interface SpanChange {
  row: number;
  before: SpanRecord;
  /** The span as stored after the erasure; undefined when it is deleted. */
  after: SpanRecord | undefined;
  /** The part of the span the summaries must give back: the subject's rows (undefined: none). */
  forget: SpanRecord | undefined;
  /** The subject's rows of a shared batch, or 'all'. */
  rows: 'all' | readonly number[];
  companion: boolean;
}

export function planSubjectSpan(s: SubjectSpan, mode: EraseMode): SpanChange {
  if (s.rows === 'all') return wholeSpan(s, mode, false);
  const mine = new Set(s.rows);
  return {
    row: s.row,
    before: s.span,
    after: withoutRows(s.span, mine),
    forget: onlyRows(s.span, mine),
    rows: s.rows,
    companion: false,
  };
}

/** The other spans of the request of a span that was the subject's alone (see above). */
export function companionsOf(subjectSpan: SubjectSpan, trace: readonly StoredSpan[]): StoredSpan[] {
  if (subjectSpan.rows !== 'all') return [];
  const requestId = attributeText(subjectSpan.span.attributes[ML.requestId]);
  if (requestId === undefined) return [];
  return trace.filter(
    (t) =>
      t.row !== subjectSpan.row &&
      t.span.attributes[ENDUSER.pseudoId] === undefined &&
      attributeText(t.span.attributes[ML.requestId]) === requestId,
  );
}

export function planCompanion(s: StoredSpan, mode: EraseMode): SpanChange {
  return wholeSpan(s, mode, true);
}

/** The whole span goes (delete) or is anonymised, and all it added is taken back. */
function wholeSpan(s: StoredSpan, mode: EraseMode, companion: boolean): SpanChange {
  return {
    row: s.row,
    before: s.span,
    after: mode === 'delete' ? undefined : anonymised(s.span),
    forget: s.span,
    rows: 'all',
    companion,
  };
}
