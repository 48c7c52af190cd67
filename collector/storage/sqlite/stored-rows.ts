import type Database from 'better-sqlite3';
import { ENDUSER, ML } from '../../../shared/attribute-keys.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { attributeText, subjectIdsOf } from '../span-match.js';
import type { KeyIndex } from './key-index/key-index.js';
import { KEY_KIND, textKey, traceKey } from './key-index/keys.js';
import type { KeyKind } from './key-index/keys.js';
import type { SpanRow, SpanRowReader } from './reader.js';
import { encodeSpanBody } from './row-codec.js';
import type { Statements } from './statements.js';

/**
 * Stored spans by row, for the data subject's rights: every span of a subject found through the
 * key index (complete, never the capped search), and the two changes an erasure makes — delete a
 * row, or rewrite its attributes (a batch with the subject's rows taken out, an anonymised span) —
 * each keeping the key index right. The changes run inside the caller's transaction
 * (`transaction`), so the summaries' update and the idempotency record commit with them.
 */
export interface StoredSpan {
  /** spans.id: never reused, so it names this span across a crash. */
  readonly row: number;
  readonly span: SpanRecord;
}

export interface StoredRows {
  /** Every stored span whose `enduser.pseudo.id` is, or (a batch) contains, the pseudonym. */
  ofSubject(pseudonym: string): StoredSpan[];
  /** Every stored span of the trace, with its row. */
  ofTrace(traceId: string): StoredSpan[];
  deleteRow(row: number): void;
  /** Replaces the span's attributes, events and links as stored (ids, times, names stay). */
  rewriteRow(row: number, span: SpanRecord): void;
  /** Runs `work` in one IMMEDIATE transaction (nested calls become savepoints). */
  transaction<T>(work: () => T): T;
  /** When the row was stored, to 10 s (the `arrivals` table); undefined when retention dropped that record. */
  storedAtMs(row: number): number | undefined;
  /** `PRAGMA wal_checkpoint(TRUNCATE)`: the WAL is copied back and emptied (no old page stays in it). */
  checkpointTruncate(): { busy: boolean };
}

export function createStoredRows(
  db: Database.Database,
  st: Statements,
  reader: SpanRowReader,
  keys: KeyIndex,
): StoredRows {
  const updateBody = db.prepare('UPDATE spans SET body = ? WHERE id = ?');
  const arrival = db
    .prepare('SELECT stored_s FROM arrivals WHERE max_id >= ? ORDER BY stored_s LIMIT 1')
    .pluck()
    .safeIntegers(false);
  const keysOf = (span: SpanRecord): { kind: KeyKind; key: number }[] => {
    const out: { kind: KeyKind; key: number }[] = [];
    const requestId = attributeText(span.attributes[ML.requestId]);
    if (requestId !== undefined) out.push({ kind: KEY_KIND.request, key: textKey(requestId) });
    for (const s of subjectIdsOf(span.attributes[ENDUSER.pseudoId]))
      out.push({ kind: KEY_KIND.subject, key: textKey(s) });
    return out;
  };
  const read = (row: number): SpanRecord | undefined => {
    const r = st.spanById.get(row) as SpanRow | undefined;
    return r === undefined ? undefined : reader.spanOf(r);
  };
  return {
    ofSubject(pseudonym) {
      const out: StoredSpan[] = [];
      for (const row of keys.rows(KEY_KIND.subject, textKey(pseudonym))) {
        const span = read(row);
        // Keys are 48-bit hashes: a row found may carry another subject.
        if (span !== undefined && subjectIdsOf(span.attributes[ENDUSER.pseudoId]).includes(pseudonym))
          out.push({ row, span });
      }
      return out;
    },
    ofTrace: (traceId) => reader.traceRows(traceId),
    deleteRow(row) {
      const span = read(row);
      if (span === undefined) return;
      st.deleteSpan.run(row);
      keys.forget(row, [{ kind: KEY_KIND.trace, key: traceKey(span.traceId) }, ...keysOf(span)]);
    },
    rewriteRow(row, span) {
      const before = read(row);
      if (before === undefined) return;
      updateBody.run(encodeSpanBody(span), row);
      const kept = new Set(keysOf(span).map((k) => `${k.kind}:${k.key}`));
      keys.forget(
        row,
        keysOf(before).filter((k) => !kept.has(`${k.kind}:${k.key}`)),
      );
    },
    transaction: (work) => db.transaction(work).immediate(),
    storedAtMs(row) {
      const s = arrival.get(row) as number | undefined;
      return s === undefined ? undefined : s * 1000;
    },
    checkpointTruncate() {
      const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      return { busy: (r?.busy ?? 0) !== 0 };
    },
  };
}
