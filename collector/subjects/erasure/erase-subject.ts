import { ML } from '../../../shared/attribute-keys.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { isUntimed } from '../../../shared/span-record.js';
import type { AlertScrub } from '../../alerts/alert-erasure.js';
import type { RemovalResult } from '../../drift/summary-erasure.js';
import type { FeedbackErasure } from '../../feedback/feedback-erasure.js';
import type { OutboxChange, OutboxPurge } from '../../forwarding/outbox-erasure.js';
import { attributeText } from '../../storage/span-match.js';
import type { StoredRows } from '../../storage/sqlite/stored-rows.js';
import { isRowAttribute } from '../batch-rows.js';
import { subjectSpans } from '../subject-spans.js';
import type { ErasureRecords } from './erasure-records.js';
import { companionsOf, planCompanion, planSubjectSpan, type EraseMode, type SpanChange } from './span-erasure.js';

/**
 * Erasure of a data subject (GDPR Art. 17) across every store, in chunks of spans. Each chunk is
 * ONE transaction: the drift and relationship summaries give back the subject's contribution, the
 * spans are deleted or rewritten, the idempotency records are written, the feedback of those
 * requests is deleted and their copies waiting in the export outbox are purged (or re-queued in
 * their new form) — so a crash leaves each span either untouched or completely done, and a retry
 * never takes anything out of a summary twice. Between chunks ingest runs; spans of the subject
 * that arrive meanwhile are found by the next pass, which repeats until none is left. Then alerts
 * are scrubbed, in-memory exemplars dropped, and the WAL is checkpointed with TRUNCATE so no copy
 * of an erased page stays in it (`secure_delete` already zeroes freed pages in the file).
 */
export interface ErasureStores {
  rows: StoredRows;
  records: ErasureRecords;
  feedback: FeedbackErasure;
  scrubAlerts(scrub: AlertScrub): { alerts: number; notifications: number };
  purgeOutbox(changes: readonly OutboxChange[]): OutboxPurge;
  drift: { forget(spans: readonly SpanRecord[]): RemovalResult };
  relationships: { forget(spans: readonly SpanRecord[]): RemovalResult };
  latency?: { dropExemplars(traceIds: ReadonlySet<string>): number };
  windowReferences(
    spans: readonly { model: string; version: string; startMs: number }[],
  ): { model: string; version: string }[];
  /** Spans per transaction (default 256). */
  chunkSpans?: number;
}

export interface ErasureCounts {
  spans: {
    deleted: number;
    rewritten: number;
    batchRowsRemoved: number;
    ambiguousBatchSpans: number;
    companions: number;
  };
  drift: RemovalResult;
  relationships: RemovalResult;
  feedback: { joined: number; pending: number };
  alerts: { alerts: number; notifications: number };
  outbox: { rows: number; spansRemoved: number; spansRequeued: number };
  latencyExemplars: number;
  windowReferencesRebuilt: number;
}

export interface ErasureOutcome {
  counts: ErasureCounts;
  /** Per destination key, the subject's spans taken out of the outbox before delivery. */
  heldBack: Record<string, number>;
  /** First and last span row changed (their storage times date what may have been forwarded). */
  rowRange: { first: number; last: number } | undefined;
  /** Traces the erasure changed, for downstream systems (the erasure webhook). */
  traceIds: string[];
}

function emptyCounts(): ErasureCounts {
  return {
    spans: { deleted: 0, rewritten: 0, batchRowsRemoved: 0, ambiguousBatchSpans: 0, companions: 0 },
    drift: { removed: 0, notFound: 0 },
    relationships: { removed: 0, notFound: 0 },
    feedback: { joined: 0, pending: 0 },
    alerts: { alerts: 0, notifications: 0 },
    outbox: { rows: 0, spansRemoved: 0, spansRequeued: 0 },
    latencyExemplars: 0,
    windowReferencesRebuilt: 0,
  };
}

/** Adds counts field by field. */
function addTo<T extends object>(into: T, more: T): void {
  const a = into as Record<string, number>;
  for (const [k, v] of Object.entries(more as Record<string, number>)) a[k] = (a[k] ?? 0) + v;
}

export async function eraseSubject(
  s: ErasureStores,
  requestId: string,
  pseudonyms: readonly string[],
  mode: EraseMode,
): Promise<ErasureOutcome> {
  const counts = emptyCounts();
  const heldBack: Record<string, number> = {};
  const scrub = { requestIds: new Set<string>(), traceIds: new Set<string>(), categories: new Set<string>() };
  const referenceSpans: { model: string; version: string; startMs: number }[] = [];
  let rowRange: ErasureOutcome['rowRange'];
  const chunkSpans = s.chunkSpans ?? 256;

  const applyChunk = (chunk: ReturnType<typeof subjectSpans>): void => {
    const changes: SpanChange[] = [];
    const planned = new Set<number>();
    for (const found of chunk) {
      if (planned.has(found.row) || s.records.done(requestId, found.row)) continue;
      planned.add(found.row);
      changes.push(planSubjectSpan(found, mode));
      if (found.ambiguous) counts.spans.ambiguousBatchSpans += 1;
      for (const c of companionsOf(found, found.rows === 'all' ? s.rows.ofTrace(found.span.traceId) : [])) {
        if (planned.has(c.row) || s.records.done(requestId, c.row)) continue;
        planned.add(c.row);
        changes.push(planCompanion(c, mode));
      }
    }
    if (changes.length === 0) return;
    const forget = changes.flatMap((c) => (c.forget !== undefined && c.forget.kind === 'SERVER' ? [c.forget] : []));
    addTo(counts.drift, s.drift.forget(forget.filter((f) => !isUntimed(f))));
    addTo(counts.relationships, s.relationships.forget(forget));
    for (const c of changes) {
      if (c.after === undefined) {
        s.rows.deleteRow(c.row);
        counts.spans.deleted += 1;
      } else {
        s.rows.rewriteRow(c.row, c.after);
        counts.spans.rewritten += 1;
      }
      if (c.companion) counts.spans.companions += 1;
      if (c.rows !== 'all') counts.spans.batchRowsRemoved += c.rows.length;
      s.records.record(requestId, c.row);
      rowRange = { first: Math.min(rowRange?.first ?? c.row, c.row), last: Math.max(rowRange?.last ?? c.row, c.row) };
      noteForAlerts(c, scrub);
      if (c.forget !== undefined) referenceSpans.push(referenceSpan(c.forget));
    }
    const requests = changes.flatMap((c) => {
      const id = attributeText(c.before.attributes[ML.requestId]);
      return id === undefined || c.companion ? [] : [{ requestId: id, rows: c.rows }];
    });
    addTo(counts.feedback, s.feedback.erase(pseudonyms, requests));
    const purge = s.purgeOutbox(
      changes.map((c) => ({
        traceId: c.before.traceId,
        spanId: c.before.spanId,
        ...(c.after === undefined ? {} : { replacement: c.after }),
      })),
    );
    addTo(counts.outbox, { rows: purge.rows, spansRemoved: purge.spansRemoved, spansRequeued: purge.spansRequeued });
    for (const [key, n] of Object.entries(purge.byDestination)) heldBack[key] = (heldBack[key] ?? 0) + n;
  };

  for (;;) {
    const found = subjectSpans(s.rows, pseudonyms).filter((f) => !s.records.done(requestId, f.row));
    if (found.length === 0) break;
    for (let i = 0; i < found.length; i += chunkSpans) {
      s.rows.transaction(() => applyChunk(found.slice(i, i + chunkSpans)));
      await new Promise((resolve) => setImmediate(resolve)); // let ingest and reads run between chunks
    }
  }
  s.rows.transaction(() => {
    // Feedback whose spans are gone already (retention) still names the subject.
    addTo(counts.feedback, s.feedback.erase(pseudonyms, []));
    addTo(counts.alerts, s.scrubAlerts(scrub));
  });
  counts.latencyExemplars = s.latency?.dropExemplars(scrub.traceIds) ?? 0;
  counts.windowReferencesRebuilt = s.windowReferences(referenceSpans).length;
  return { counts, heldBack, rowRange, traceIds: [...scrub.traceIds] };
}

/** What alerts may cite of the change: its request and trace, and the subject's categorical values. */
function noteForAlerts(
  c: SpanChange,
  scrub: { requestIds: Set<string>; traceIds: Set<string>; categories: Set<string> },
): void {
  if (c.rows === 'all') {
    const id = attributeText(c.before.attributes[ML.requestId]);
    if (id !== undefined) scrub.requestIds.add(id);
    scrub.traceIds.add(c.before.traceId);
  }
  for (const [name, value] of Object.entries(c.forget?.attributes ?? {})) {
    if (!isRowAttribute(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) if (typeof v === 'string') scrub.categories.add(v);
  }
}

function referenceSpan(span: SpanRecord): { model: string; version: string; startMs: number } {
  return {
    model: attributeText(span.attributes[ML.modelName]) ?? span.serviceName,
    version: attributeText(span.attributes[ML.modelVersion]) ?? '',
    startMs: Number(span.startTimeUnixNano / 1_000_000n),
  };
}
