import type Database from 'better-sqlite3';
import type { SpanRecord } from '../../shared/span-record.js';
import type { DestinationKind } from './destination.js';
import { encodeFragment } from './destination.js';
import { OUTBOX_TABLE } from './outbox-schema.js';

/**
 * Erasure of a data subject from the export outbox (GDPR Art. 17): copies of their spans waiting to
 * be forwarded are taken out before they are delivered, and a span the erasure rewrote (a batch
 * without the subject's rows, an anonymised span) is queued again in its new form. Rows are
 * screened by the trace ids their text holds, so only rows that carry one are parsed. Runs inside
 * the caller's transaction.
 */
export interface OutboxChange {
  traceId: string;
  spanId: string;
  /** The span as it is now, to forward instead; undefined: the span is gone. */
  replacement?: SpanRecord;
}

export interface OutboxPurge {
  rows: number;
  spansRemoved: number;
  spansRequeued: number;
  /** Per destination key, the subject's spans taken out before delivery. */
  byDestination: Record<string, number>;
}

interface OtlpResourceSpans {
  scopeSpans?: { spans?: { traceId?: string; spanId?: string }[] }[];
}

const TRACE_ID = /"traceId":"([0-9a-f]{16,32})"/g;

export function createOutboxErasure(db: Database.Database): (changes: readonly OutboxChange[]) => OutboxPurge {
  const st = {
    all: db.prepare(`SELECT id, destination, fragment FROM ${OUTBOX_TABLE}`),
    update: db.prepare(`UPDATE ${OUTBOX_TABLE} SET fragment = ?, span_count = ? WHERE id = ?`),
    remove: db.prepare(`DELETE FROM ${OUTBOX_TABLE} WHERE id = ?`),
  };
  return (changes) => {
    const out: OutboxPurge = { rows: 0, spansRemoved: 0, spansRequeued: 0, byDestination: {} };
    if (changes.length === 0) return out;
    const traces = new Set(changes.map((c) => c.traceId));
    const byKey = new Map(changes.map((c) => [`${c.traceId}/${c.spanId}`, c]));
    for (const row of st.all.all() as { id: number; destination: string; fragment: string }[]) {
      if (![...row.fragment.matchAll(TRACE_ID)].some((m) => traces.has(m[1] as string))) continue;
      const kind: DestinationKind = row.destination.startsWith('zipkin ') ? 'zipkin' : 'otlp';
      const items = JSON.parse(`[${row.fragment}]`) as unknown[];
      const hit: OutboxChange[] = [];
      const isHit = (traceId: string | undefined, spanId: string | undefined): boolean => {
        const c = byKey.get(`${traceId}/${spanId}`);
        if (c !== undefined && !hit.includes(c)) hit.push(c);
        return c !== undefined;
      };
      let kept: unknown[];
      let count = 0;
      if (kind === 'zipkin') {
        kept = (items as { traceId?: string; id?: string }[]).filter((s) => !isHit(s.traceId, s.id));
        count = kept.length;
      } else {
        kept = [];
        for (const rs of items as OtlpResourceSpans[]) {
          const scopes = (rs.scopeSpans ?? [])
            .map((ss) => ({ ...ss, spans: (ss.spans ?? []).filter((s) => !isHit(s.traceId, s.spanId)) }))
            .filter((ss) => ss.spans.length > 0);
          count += scopes.reduce((n, ss) => n + ss.spans.length, 0);
          if (scopes.length > 0) kept.push({ ...rs, scopeSpans: scopes });
        }
      }
      if (hit.length === 0) continue;
      const again = hit.flatMap((c) => (c.replacement === undefined ? [] : [c.replacement]));
      const parts = kept.map((k) => JSON.stringify(k));
      if (again.length > 0) parts.push(encodeFragment(kind, again));
      if (parts.length === 0) st.remove.run(row.id);
      else st.update.run(parts.join(','), count + again.length, row.id);
      out.rows += 1;
      out.spansRemoved += hit.length - again.length;
      out.spansRequeued += again.length;
      out.byDestination[row.destination] = (out.byDestination[row.destination] ?? 0) + hit.length;
    }
    return out;
  };
}
