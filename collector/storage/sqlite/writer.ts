import type Database from 'better-sqlite3';
import { ENDUSER, ML } from '../../../shared/attribute-keys.js';
import { SPAN_KINDS, STATUS_CODES } from '../../../shared/span-record.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { attributeText } from '../span-match.js';
import type { Dictionaries } from './dictionaries.js';
import { encodeBody, hexToBlob, keyHash } from './row-codec.js';
import type { Statements } from './statements.js';

/**
 * Commits a batch — the spans of many callers — in ONE transaction: `INSERT OR IGNORE` on
 * (trace, span id, kind), so a span written twice is stored once. Throws if the transaction fails;
 * then nothing of the batch is stored.
 */
export type CommitBatch = (entries: readonly (readonly SpanRecord[])[]) => void;

/** Seconds of arrival time that share one row of the `arrivals` table. */
const ARRIVAL_GRANULE_S = 10;

export function createBatchCommitter(
  db: Database.Database,
  st: Statements,
  dict: Dictionaries,
  now: () => number = Date.now,
): CommitBatch {
  const kindNumber = new Map<string, number>(SPAN_KINDS.map((k, i) => [k, i]));
  const statusNumber = new Map<string, number>(STATUS_CODES.map((c, i) => [c, i]));

  const insertOne = (span: SpanRecord): number => {
    const kind = kindNumber.get(span.kind) ?? 0;
    const service = dict.service(span.serviceName);
    const model = attributeText(span.attributes[ML.modelName]);
    const requestId = attributeText(span.attributes[ML.requestId]);
    const subject = attributeText(span.attributes[ENDUSER.pseudoId]);
    return st.insertSpan.run({
      trace: dict.trace(span.traceId),
      spanId: hexToBlob(span.spanId),
      kind,
      parentId: span.parentSpanId === '' ? null : hexToBlob(span.parentSpanId),
      service,
      op: dict.op(service, span.name, kind),
      source: dict.source(span.resource, span.scope),
      model: model === undefined ? null : dict.model(model, attributeText(span.attributes[ML.modelVersion]) ?? ''),
      start: span.startTimeUnixNano,
      duration: span.endTimeUnixNano - span.startTimeUnixNano,
      status: statusNumber.get(span.status.code) ?? 0,
      requestKey: requestId === undefined ? null : keyHash(requestId),
      subjectKey: subject === undefined ? null : keyHash(subject),
      body: encodeBody({
        attributes: span.attributes,
        events: span.events,
        links: span.links,
        traceState: span.traceState,
        statusMessage: span.status.message,
        flags: span.flags,
      }, span.startTimeUnixNano),
    }).changes;
  };

  const commitAll = db.transaction((entries: readonly (readonly SpanRecord[])[]) => {
    dict.newBatch();
    let inserted = 0;
    for (const spans of entries) for (const span of spans) inserted += insertOne(span);
    if (inserted > 0) {
      const grain = Math.floor(now() / 1000 / ARRIVAL_GRANULE_S) * ARRIVAL_GRANULE_S;
      st.markArrival.run(grain, st.maxSpanId.get());
    }
  });

  return (entries) => {
    try {
      commitAll.immediate(entries);
    } catch (error) {
      dict.forget();
      throw error;
    }
  };
}
