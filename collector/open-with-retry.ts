/**
 * Opening what needs the database without letting the process die: when the file is read-only,
 * its disk full or its volume missing, the collector still starts, says why in its log and on
 * /healthz (503, so an orchestrator stops sending traffic without restarting it in a loop), and
 * opens as soon as the cause is fixed. Until then `current()` throws StoreNotOpenError (ingest
 * answers it with a retryable 503) and the readiness gate (readiness-gate.ts) answers the APIs.
 */
export interface StoreStatus {
  ok: boolean;
  /** Why the database is not open, when it is not. */
  error?: string;
}

export interface Opening<T> {
  status(): StoreStatus;
  /** What was opened; throws StoreNotOpenError until then. */
  current(): T;
  /** What was opened, or undefined until then. */
  peek(): T | undefined;
  /** Resolves once opened (or closed). */
  opened(): Promise<void>;
  /** Stops retrying and closes what was opened. */
  close(): Promise<void>;
}

export interface RetryOptions<T> {
  /** Delay between attempts to open. */
  retryMs: number;
  onError?: (err: unknown, attempt: number) => void;
  onOpen?: (opened: T, attempt: number) => void;
}

class StoreNotOpenError extends Error {
  readonly code = 'store_not_open';
  constructor(cause: unknown) {
    super(`the span database is not open: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreNotOpenError';
  }
}

export function openWithRetry<T extends { close(): Promise<void> }>(
  open: () => Promise<T> | T,
  options: RetryOptions<T>,
): Opening<T> {
  let value: T | undefined;
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
      const opened = await open();
      if (closed) {
        await opened.close();
        return;
      }
      value = opened;
      options.onOpen?.(opened, attempt);
      markOpened();
    } catch (err) {
      lastError = err;
      options.onError?.(err, attempt);
      if (!closed) timer = setTimeout(() => void tryOpen(), options.retryMs);
    }
  };
  const first = tryOpen();

  return {
    status: () => (value !== undefined ? { ok: true } : { ok: false, error: new StoreNotOpenError(lastError).message }),
    current() {
      if (value === undefined) throw new StoreNotOpenError(lastError);
      return value;
    },
    peek: () => value,
    opened: () => openedPromise,
    async close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      markOpened();
      await first;
      // Not cleared: after close, calls reach the closed store, which says it is closed.
      await value?.close();
    },
  };
}
