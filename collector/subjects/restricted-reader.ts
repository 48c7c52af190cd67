import type { SpanRecord } from '../../shared/span-record.js';
import { currentCaller } from '../auth/caller-context.js';
import { DelegatingSpanStore } from '../storage/delegating-store.js';
import type { SpanStore, TraceQuery, TraceSummary } from '../storage/span-store.js';
import { carriesAny } from './span-pseudonyms.js';

/**
 * The span reader every read API (own, Jaeger, Zipkin, request lookup) goes through, with the
 * traces of restricted subjects (Art. 18) left out unless the caller's token has the privacy scope.
 * A whole trace goes when one of its spans carries a restricted subject: its other spans (the
 * sidecar's CLIENT span, the model's own) still tell that and when the person made the request.
 * Every such API loads traces with getTrace (TraceService.load), so hiding there hides them from
 * request lookups and Jaeger/Zipkin searches too (an empty trace is not listed); the summaries of
 * the own search are filtered by the restricted subjects' trace ids (the key index). A search may
 * then list fewer than its limit. Outside a request (no caller known) it hides: closed by default.
 */
export class RestrictedReader extends DelegatingSpanStore {
  constructor(
    store: () => SpanStore,
    private readonly restricted: () => ReadonlySet<string>,
  ) {
    super(store);
  }

  override async getTrace(traceId: string): Promise<SpanRecord[]> {
    const spans = await super.getTrace(traceId);
    const restricted = this.hidden();
    if (restricted === undefined) return spans;
    return spans.some((s) => carriesAny(s, restricted)) ? [] : spans;
  }

  override async findTraces(query: TraceQuery): Promise<TraceSummary[]> {
    const summaries = await super.findTraces(query);
    const restricted = this.hidden();
    if (restricted === undefined || summaries.length === 0) return summaries;
    const hidden = new Set<string>();
    for (const p of restricted) for (const id of await super.findTraceIdsBySubject(p)) hidden.add(id);
    return summaries.filter((s) => !hidden.has(s.traceId));
  }

  /** The restricted subjects to hide from this caller; undefined when nothing is hidden from them. */
  private hidden(): ReadonlySet<string> | undefined {
    const restricted = this.restricted();
    if (restricted.size === 0 || currentCaller()?.scopes.has('privacy') === true) return undefined;
    return restricted;
  }
}
