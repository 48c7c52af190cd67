import type { SpanRecord } from '../../shared/span-record.js';
import { currentCaller } from '../auth/caller-context.js';
import { DelegatingSpanStore } from '../storage/delegating-store.js';
import type { SpanStore } from '../storage/span-store.js';
import { carriesAny } from './span-pseudonyms.js';

/**
 * The span reader every read API (own, Jaeger, Zipkin, request lookup) goes through, with the
 * spans of restricted subjects (Art. 18) left out unless the caller's token has the privacy scope.
 * Every such API loads traces with getTrace (TraceService.load), so hiding there hides them from
 * searches and request lookups too: a trace left empty is not listed. Outside a request (no caller
 * known) it hides: closed by default.
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
    const restricted = this.restricted();
    if (restricted.size === 0 || currentCaller()?.scopes.has('privacy') === true) return spans;
    return spans.filter((s) => !carriesAny(s, restricted));
  }
}
