import type Database from 'better-sqlite3';
import { ML } from '../../shared/attribute-keys.js';
import type { SpanRecord } from '../../shared/span-record.js';
import type { AlertStore } from '../alerts/alert-store.js';
import { modelOf } from '../drift/captured-span.js';
import type { ReferenceStore } from '../drift/drift-store.js';
import { removalsOf } from '../drift/summary-erasure.js';
import type { FeedbackStore } from '../feedback/feedback-store.js';
import { OUTBOX_TABLE } from '../forwarding/outbox-schema.js';
import { pairRemovalsOf } from '../relationships/pair-erasure.js';
import { attributeText } from '../storage/span-match.js';
import type { StoredRows } from '../storage/sqlite/stored-rows.js';
import { onlyRows } from './batch-rows.js';
import type { Restrictions } from './restrictions.js';
import { subjectSpans, type SubjectSpan } from './subject-spans.js';

/**
 * Everything the collector holds about a data subject (Art. 15), as a stream of records in a fixed
 * order of kinds: their spans (found through the key index, complete; of a batch span only their
 * own rows), joined and pending feedback of their requests, alerts citing their requests or traces,
 * outbox rows still carrying their spans, window references built over their traffic, the drift and
 * relationship summaries holding their contribution, corrections and standing restrictions. Spans
 * are read once; every later kind is derived from them or read by key. Unknown subject: only the
 * `subject` record, and empty lists.
 */
export interface InventoryDeps {
  db: Database.Database;
  stored: StoredRows;
  feedback: FeedbackStore;
  alerts: AlertStore;
  references: ReferenceStore;
  restrictions: Restrictions;
  /** The summaries' bucket width (drift's; relationships use the same). */
  driftBucketMs: number;
  clock: () => number;
}

/** The kinds, in the order the records come in. */
export type RecordKind =
  | 'subject'
  | 'span'
  | 'feedback'
  | 'pending_feedback'
  | 'alert'
  | 'outbox'
  | 'reference'
  | 'drift_summary'
  | 'relationship_summary'
  | 'correction'
  | 'restriction';
export type InventoryRecord = { type: RecordKind } & Record<string, unknown>;

/** A stored span as JSON: times as decimal text (nanoseconds do not fit a JSON number). */
function spanJson(s: SubjectSpan): Record<string, unknown> {
  const span = s.rows === 'all' ? s.span : onlyRows(s.span, new Set(s.rows));
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    serviceName: span.serviceName,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    status: span.status,
    attributes: span.attributes,
    events: span.events.map((e) => ({ ...e, timeUnixNano: e.timeUnixNano.toString() })),
    links: span.links,
    resource: span.resource,
    scope: span.scope,
    ...(s.rows === 'all' ? {} : { batchRows: s.rows }),
    ...(s.ambiguous ? { ambiguousRows: true } : {}),
  };
}

/** The (request id, row) pairs of the subject's requests: row 0 for a single call, their rows of a batch. */
export function requestRowsOf(spans: readonly SubjectSpan[]): { requestId: string; row: number; span: SpanRecord }[] {
  const out: { requestId: string; row: number; span: SpanRecord }[] = [];
  for (const s of spans) {
    const requestId = attributeText(s.span.attributes[ML.requestId]);
    if (requestId === undefined || s.span.kind !== 'SERVER') continue;
    const size = s.span.attributes[ML.batchSize];
    const rows = s.rows !== 'all' ? s.rows : typeof size === 'number' && size > 1 ? range(size) : [0];
    for (const row of rows) out.push({ requestId, row, span: s.span });
  }
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_v, i) => i);
}

export async function* inventoryRecords(
  deps: InventoryDeps,
  pseudonyms: readonly string[],
): AsyncGenerator<InventoryRecord> {
  yield { type: 'subject', pseudonyms: [...pseudonyms], generatedAtMs: deps.clock() };
  const spans = subjectSpans(deps.stored, pseudonyms);
  for (const s of spans) yield { type: 'span', ...spanJson(s) };
  const own = spans.map((s) => (s.rows === 'all' ? s.span : onlyRows(s.span, new Set(s.rows))));

  const requests = requestRowsOf(spans);
  const requestIds = new Set(requests.map((r) => r.requestId));
  const traceIds = new Set(spans.map((s) => s.span.traceId));
  for (const r of requests) {
    const f = deps.feedback.get({ requestId: r.requestId, row: r.row });
    if (f !== undefined) yield { type: 'feedback', ...f };
  }
  for (const p of deps.feedback.duePending(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))
    if (requestIds.has(p.requestId)) yield { type: 'pending_feedback', ...p };

  for (const a of deps.alerts.listAlerts({ limit: Number.MAX_SAFE_INTEGER })) {
    const citedRequests = a.cause.exemplarRequestIds.filter((id) => requestIds.has(id));
    const citedTraces = a.cause.exemplarTraceIds.filter((id) => traceIds.has(id));
    if (citedRequests.length + citedTraces.length === 0) continue;
    yield {
      type: 'alert',
      id: a.id,
      name: a.name,
      state: a.state,
      activeAtMs: a.activeAtMs,
      citedRequests,
      citedTraces,
    };
  }

  // An outbox row is a fragment of several spans: it is listed (where and since when), not shown.
  const outbox = deps.db.prepare(
    `SELECT id, destination, created_ms AS createdMs, span_count AS spanCount, attempts FROM ${OUTBOX_TABLE} WHERE instr(fragment, ?) > 0 ORDER BY id`,
  );
  const seen = new Set<number>();
  for (const p of pseudonyms)
    for (const row of outbox.all(p) as { id: number }[])
      if (!seen.has(row.id)) {
        seen.add(row.id);
        yield { type: 'outbox', ...row };
      }

  yield* referencesOver(deps.references, own);
  const w = deps.driftBucketMs;
  for (const r of removalsOf(own, w, () => new Set()))
    yield {
      type: 'drift_summary',
      model: r.model,
      version: r.version,
      feature: r.feature,
      bucketMs: r.bucketMs,
      values: r.values.length,
    };
  for (const r of pairRemovalsOf(own, w))
    yield {
      type: 'relationship_summary',
      model: r.model,
      version: r.version,
      bucketMs: r.bucketMs,
      input: r.input,
      output: r.output,
    };

  const corrections = deps.db.prepare(
    `SELECT id, target, request_id AS requestId, trace_id AS traceId, span_id AS spanId, field, row_index AS row, token, corrected_ms AS correctedMs
     FROM subject_rectifications WHERE pseudonym = ? ORDER BY id`,
  );
  for (const p of pseudonyms) for (const c of corrections.all(p) as object[]) yield { type: 'correction', ...c };
  for (const e of deps.restrictions.list())
    if (pseudonyms.includes(e.pseudonym)) yield { type: 'restriction', kind: e.kind, sinceMs: e.sinceMs };
}

/** Window references (a pinned range of a model's own traffic) whose range holds one of the spans. */
function* referencesOver(store: ReferenceStore, spans: readonly SpanRecord[]): Generator<InventoryRecord> {
  const byModel = new Map<string, number[]>();
  for (const s of spans) {
    if (s.kind !== 'SERVER') continue;
    const { model, version } = modelOf(s);
    const key = `${model}\u0000${version}`;
    let times = byModel.get(key);
    if (times === undefined) byModel.set(key, (times = []));
    times.push(Number(s.startTimeUnixNano / 1_000_000n));
  }
  const models = new Set([...byModel.keys()].map((k) => k.split('\u0000')[0] as string));
  for (const model of models)
    for (const ref of store.list(model)) {
      if (ref.kind !== 'window') continue;
      const times =
        ref.version === ''
          ? [...byModel].filter(([k]) => k.startsWith(`${model}\u0000`)).flatMap(([, t]) => t)
          : (byModel.get(`${model}\u0000${ref.version}`) ?? []);
      const inside = times.filter((t) => t >= ref.startMs && t < ref.endMs).length;
      if (inside > 0)
        yield {
          type: 'reference',
          model,
          version: ref.version,
          startMs: ref.startMs,
          endMs: ref.endMs,
          createdMs: ref.createdMs,
          spans: inside,
        };
    }
}
