import type { SpanRecord } from '../../shared/span-record.js';
import { DelegatingSpanStore } from './delegating-store.js';
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

/** A store whose every successful write is shown to the listeners, in order. */
class ListeningStore extends DelegatingSpanStore {
  readonly listenerErrors: ListenerErrors = { count: 0 };

  constructor(
    private readonly store: SpanStore,
    private readonly listeners: readonly SpanListener[],
    private readonly onError: (listener: string, error: unknown) => void,
  ) {
    super(() => store);
  }

  override async writeSpans(spans: readonly SpanRecord[]): Promise<void> {
    await this.store.writeSpans(spans);
    for (const l of this.listeners) {
      try {
        l.onSpans(spans);
      } catch (error) {
        this.listenerErrors.count += 1;
        this.listenerErrors.last = { listener: l.name, error };
        this.onError(l.name, error);
      }
    }
  }
}

/** Wraps a store so every successful write is shown to the listeners, in order. */
export function withSpanListeners(
  store: SpanStore,
  listeners: readonly SpanListener[],
  onError: (listener: string, error: unknown) => void = () => {},
): SpanStore & { listenerErrors: ListenerErrors } {
  return new ListeningStore(store, listeners, onError);
}

/**
 * `store` with one pipeline's `listener` shown every write (a throw goes to `onError`); closing it
 * runs `beforeClose` first (the pipeline stops and lets go of the store), then closes the store.
 */
export function withPipelineListener(
  store: SpanStore,
  listener: SpanListener,
  onError: (error: unknown) => void,
  beforeClose: () => Promise<void>,
): SpanStore {
  const wrapped = withSpanListeners(store, [listener], (_name, error) => onError(error));
  return new (class extends DelegatingSpanStore {
    override async close(): Promise<void> {
      await beforeClose();
      await wrapped.close();
    }
  })(() => wrapped);
}
