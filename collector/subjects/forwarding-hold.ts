import type Database from 'better-sqlite3';
import type { SpanRecord } from '../../shared/span-record.js';
import type { SpanListener } from '../storage/span-listener.js';
import type { SpanReader } from '../storage/span-store.js';
import { ENDUSER } from '../../shared/attribute-keys.js';
import { subjectIdsOf } from '../storage/span-match.js';
import { carriesAny } from './span-pseudonyms.js';

/**
 * Forwarding's side of restriction (Art. 18): the outbox listener, wrapped so spans of a
 * restricted subject are not queued for Jaeger/Zipkin while the restriction stands. The spans stay
 * in the span store; only their identity is noted in subject_held_spans, under each restricted
 * subject they carry. When a restriction is lifted, `release` hands the spans that no restriction
 * holds any more to the outbox; a span that still carries another restricted subject stays held.
 */
interface HeldRow {
  trace_id: string;
  span_id: string;
}

export class ForwardingHold {
  readonly listener: SpanListener;
  private readonly st;
  private readonly hold;
  private readonly take;

  constructor(
    db: Database.Database,
    private readonly restricted: () => ReadonlySet<string>,
    private readonly forward: SpanListener,
    private readonly reader: Pick<SpanReader, 'getTrace'>,
    private readonly now: () => number = Date.now,
  ) {
    this.st = {
      insert: db.prepare(
        'INSERT OR IGNORE INTO subject_held_spans (pseudonym, trace_id, span_id, held_ms) VALUES (?, ?, ?, ?)',
      ),
      ofSubject: db.prepare('SELECT trace_id, span_id FROM subject_held_spans WHERE pseudonym = ?'),
      remove: db.prepare('DELETE FROM subject_held_spans WHERE pseudonym = ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM subject_held_spans WHERE pseudonym = ?'),
    };
    this.hold = db.transaction((spans: readonly SpanRecord[], set: ReadonlySet<string>) => {
      const at = this.now();
      for (const span of spans)
        for (const p of subjectIdsOf(span.attributes[ENDUSER.pseudoId]))
          if (set.has(p)) this.st.insert.run(p, span.traceId, span.spanId, at);
    });
    this.take = db.transaction((pseudonyms: readonly string[]): HeldRow[] => {
      const rows: HeldRow[] = [];
      for (const p of pseudonyms) {
        rows.push(...(this.st.ofSubject.all(p) as HeldRow[]));
        this.st.remove.run(p);
      }
      return rows;
    });
    this.listener = {
      name: forward.name,
      onSpans: (spans) => {
        const set = this.restricted();
        if (set.size === 0) return forward.onSpans(spans);
        const held = spans.filter((s) => carriesAny(s, set));
        if (held.length === 0) return forward.onSpans(spans);
        this.hold(held, set);
        const sent = spans.filter((s) => !carriesAny(s, set));
        if (sent.length > 0) forward.onSpans(sent);
      },
    };
  }

  /** Spans held back for these pseudonyms. */
  heldCount(pseudonyms: readonly string[]): number {
    return pseudonyms.reduce((n, p) => n + (this.st.count.get(p) as { n: number }).n, 0);
  }

  /**
   * After the restriction of these pseudonyms was lifted: queues their held spans for forwarding,
   * except those still carrying a restricted subject (kept held under it). Returns how many were queued.
   */
  async release(pseudonyms: readonly string[]): Promise<number> {
    const rows = this.take(pseudonyms);
    const byTrace = new Map<string, Set<string>>();
    for (const r of rows) {
      let ids = byTrace.get(r.trace_id);
      if (ids === undefined) byTrace.set(r.trace_id, (ids = new Set()));
      ids.add(r.span_id);
    }
    const spans: SpanRecord[] = [];
    for (const [traceId, ids] of byTrace)
      for (const s of await this.reader.getTrace(traceId)) if (ids.has(s.spanId)) spans.push(s);
    // The listener holds again what another restriction still covers, and queues the rest.
    this.listener.onSpans(spans);
    const set = this.restricted();
    return spans.filter((s) => !carriesAny(s, set)).length;
  }
}
