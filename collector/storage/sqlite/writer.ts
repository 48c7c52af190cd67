import type Database from 'better-sqlite3';
import { ENDUSER, ML } from '../../../shared/attribute-keys.js';
import { SPAN_KINDS, STATUS_CODES } from '../../../shared/span-record.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { isUntimed } from '../../../shared/span-record.js';
import { attributeText, subjectIdsOf } from '../span-match.js';
import type { Dictionaries } from './dictionaries.js';
import type { KeyIndex } from './key-index/key-index.js';
import { textKey } from './key-index/keys.js';
import { encodeSpanBody, hexToBlob } from './row-codec.js';
import { identityKind } from './span-identity.js';
import { BUCKET_SHIFT } from './schema-v1.js';
import type { Statements } from './statements.js';

/**
 * Commits a batch — the spans of many callers — in ONE transaction. Idempotent on
 * (trace id, span id, kind, untimed) (see span-identity.ts): the key index says whether a span is already stored (or earlier in
 * this batch), and such a span is skipped. Throws if the transaction fails; then nothing of the
 * batch is stored and the key index forgets it too.
 */
export type CommitBatch = (entries: readonly (readonly SpanRecord[])[]) => void;

/** Seconds of arrival time that share one row of the `arrivals` table. */
const ARRIVAL_GRANULE_S = 10;

const KIND_NUMBER = new Map<string, number>(SPAN_KINDS.map((k, i) => [k, i]));
const STATUS_NUMBER = new Map<string, number>(STATUS_CODES.map((c, i) => [c, i]));

export function createBatchCommitter(
  db: Database.Database,
  st: Statements,
  dict: Dictionaries,
  keys: KeyIndex,
  now: () => number = Date.now,
): CommitBatch {
  const insertOne = (span: SpanRecord): number | undefined => {
    const kind = KIND_NUMBER.get(span.kind) ?? 0;
    const identity = identityKind(kind, isUntimed(span));
    if (keys.isStored(span.traceId, span.spanId, identity)) return undefined;
    const service = dict.service(span.serviceName);
    const model = attributeText(span.attributes[ML.modelName]);
    const row = Number(
      st.insertSpan.run(
        hexToBlob(span.traceId),
        hexToBlob(span.spanId),
        kind,
        span.parentSpanId === '' ? null : hexToBlob(span.parentSpanId),
        service,
        dict.op(service, span.name, kind),
        dict.source(span.resource, span.scope),
        model === undefined ? null : dict.model(model, attributeText(span.attributes[ML.modelVersion]) ?? ''),
        span.startTimeUnixNano >> BUCKET_SHIFT,
        span.startTimeUnixNano,
        span.endTimeUnixNano - span.startTimeUnixNano,
        STATUS_NUMBER.get(span.status.code) ?? 0,
        encodeSpanBody(span),
      ).lastInsertRowid,
    );
    const requestId = attributeText(span.attributes[ML.requestId]);
    keys.add(
      { row, traceId: span.traceId, spanId: span.spanId, kind: identity },
      requestId === undefined ? undefined : textKey(requestId),
      subjectIdsOf(span.attributes[ENDUSER.pseudoId]).map(textKey),
    );
    return row;
  };

  const commitAll = db.transaction((entries: readonly (readonly SpanRecord[])[]) => {
    dict.newBatch();
    let lastRow: number | undefined;
    for (const spans of entries) for (const span of spans) lastRow = insertOne(span) ?? lastRow;
    if (lastRow !== undefined) {
      const grain = Math.floor(now() / 1000 / ARRIVAL_GRANULE_S) * ARRIVAL_GRANULE_S;
      st.markArrival.run(grain, lastRow);
    }
  });

  return (entries) => {
    keys.begin();
    try {
      commitAll.immediate(entries);
    } catch (error) {
      keys.rollback();
      dict.forget();
      throw error;
    }
    keys.commit();
  };
}
