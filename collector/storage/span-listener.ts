import type { SpanRecord } from '../../shared/span-record.js';
import type { SpanStore } from './span-store.js';

/**
 * Something derived from the span stream (latency sketches, drift summaries, the export outbox)
 * that must see every span once it is stored. Listeners run after the batch commits, so a sender
 * is never acknowledged for spans a listener saw but storage lost; they must be cheap and must
 * not throw (a throw is logged and counted, never failing ingest).
 */
export interface SpanListener {
  readonly name: string;
  onSpans(spans: readonly SpanRecord[]): void;
}

export interface ListenerErrors {
  count: number;
  last?: { listener: string; error: unknown };
}

/** Wraps a store so every successful write is shown to the listeners, in order. */
export function withSpanListeners(
  store: SpanStore,
  listeners: readonly SpanListener[],
  onError: (listener: string, error: unknown) => void = () => {},
): SpanStore & { listenerErrors: ListenerErrors } {
  const listenerErrors: ListenerErrors = { count: 0 };
  return {
    listenerErrors,
    async writeSpans(spans) {
      await store.writeSpans(spans);
      for (const l of listeners) {
        try {
          l.onSpans(spans);
        } catch (error) {
          listenerErrors.count += 1;
          listenerErrors.last = { listener: l.name, error };
          onError(l.name, error);
        }
      }
    },
    getTrace: (id) => store.getTrace(id),
    findTraceIdsByRequestId: (id) => store.findTraceIdsByRequestId(id),
    findTraceIdsBySubject: (id) => store.findTraceIdsBySubject(id),
    findTraces: (q) => store.findTraces(q),
    getServices: () => store.getServices(),
    getOperations: (s) => store.getOperations(s),
    scanModelSpans: (q, limit, visit) => store.scanModelSpans(q, limit, visit),
    close: () => store.close(),
  };
}
