import type { SpanStore } from './storage/span-store.js';

/**
 * A store that keeps trying to open its database instead of letting the process die: when the file
 * is read-only, its disk full or its volume missing, the collector still starts, says why in its
 * log and on /healthz (503, so an orchestrator stops sending traffic without restarting it in a
 * loop), answers writes with a retryable 503, and opens the database as soon as the cause is fixed.
 */
export interface StoreStatus {
  ok: boolean;
  /** Why the database is not open, when it is not. */
  error?: string;
}

export type RetryingStore = SpanStore & {
  status(): StoreStatus;
  /** Resolves once the database is open (or the store is closed). */
  opened(): Promise<void>;
  /** The store the opener returned, once open (for areas that need more than SpanStore, e.g. its db). */
  inner(): SpanStore | undefined;
};

export interface RetryOptions {
  /** Delay between attempts to open. */
  retryMs: number;
  onError?: (err: unknown, attempt: number) => void;
  onOpen?: (attempt: number) => void;
}

export class StoreNotOpenError extends Error {
  readonly code = 'store_not_open';
  constructor(cause: unknown) {
    super(`the span database is not open: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreNotOpenError';
  }
}

export function openWithRetry(open: () => Promise<SpanStore> | SpanStore, options: RetryOptions): RetryingStore {
  let inner: SpanStore | undefined;
  let lastError: unknown = new Error('the database is being opened');
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let attempt = 0;
  let markOpened: () => void = () => {};
  const openedPromise = new Promise<void>((resolve) => {
    markOpened = resolve;
  });

  const tryOpen = async (): Promise<void> => {
    timer = undefined;
    attempt += 1;
    try {
      const store = await open();
      if (closed) {
        await store.close();
        return;
      }
      inner = store;
      options.onOpen?.(attempt);
      markOpened();
    } catch (err) {
      lastError = err;
      options.onError?.(err, attempt);
      if (!closed) timer = setTimeout(() => void tryOpen(), options.retryMs);
    }
  };
  const first = tryOpen();

  const current = (): SpanStore => {
    if (inner === undefined) throw new StoreNotOpenError(lastError);
    return inner;
  };

  return {
    status: () => (inner !== undefined ? { ok: true } : { ok: false, error: new StoreNotOpenError(lastError).message }),
    opened: () => openedPromise,
    inner: () => inner,
    writeSpans: async (spans) => current().writeSpans(spans),
    getTrace: async (id) => current().getTrace(id),
    findTraceIdsByRequestId: async (id) => current().findTraceIdsByRequestId(id),
    findTraceIdsBySubject: async (id) => current().findTraceIdsBySubject(id),
    findTraces: async (q) => current().findTraces(q),
    getServices: async () => current().getServices(),
    getOperations: async (s) => current().getOperations(s),
    scanModelSpans: async (q, limit, visit) => current().scanModelSpans(q, limit, visit),
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      markOpened();
      await first;
      const store = inner;
      inner = undefined;
      await store?.close();
    },
  };
}
