import { AppError } from '../../shared/errors.js';
import { StoreFullError } from '../storage/span-store.js';
import { causeChain, storageCodeOf, type StorageErrorCode } from '../storage/storage-errors.js';
import { IngestError } from './ingest-errors.js';

/**
 * Turns a failed `store.writeSpans` into the answer a sender can act on. A full write queue and a
 * database that cannot take writes for now (disk full, read-only file, I/O error, busy, not open
 * yet) are retryable (503 with Retry-After: 5 s, 1 s when busy), so senders back off instead of
 * dropping data, and the collector keeps running and serving reads instead of crashing into a
 * restart loop. Anything else is a 500. The database failure is classified by storage-errors.ts.
 */
const RETRYABLE: Partial<Record<StorageErrorCode, { retryAfterSeconds: number; message: string }>> = {
  db_full: {
    retryAfterSeconds: 5,
    message:
      'the database disk is full: free space on its volume, or lower INFERTRACE_RETENTION / INFERTRACE_MAX_DB_SIZE',
  },
  db_readonly: {
    retryAfterSeconds: 5,
    message:
      'the database is read-only: give the collector write access to the file named by --db / INFERTRACE_DB and its folder',
  },
  db_io: {
    retryAfterSeconds: 5,
    message: 'the database file could not be written (I/O error): check the volume behind --db / INFERTRACE_DB',
  },
  db_cantopen: {
    retryAfterSeconds: 5,
    message: 'the database file could not be written: check its permissions and the volume behind --db / INFERTRACE_DB',
  },
  db_closed: { retryAfterSeconds: 5, message: 'the span database is closed' },
  db_busy: { retryAfterSeconds: 1, message: 'the database is busy' },
};

/** The code RetryingStore's StoreNotOpenError carries: the database is still opening. */
const NOT_OPEN = 'store_not_open';

function firstOf<T>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (const e of causeChain(err)) if (e instanceof type) return e;
  return undefined;
}

export function storeWriteError(err: unknown): IngestError {
  if (err instanceof IngestError) return err;
  const full = firstOf(err, StoreFullError);
  if (full !== undefined) {
    return new IngestError(
      'store_full',
      'the collector is busy (its write queue is full): retry after the Retry-After interval',
      {
        cause: err,
        retryAfterSeconds: full.retryAfterSeconds,
      },
    );
  }
  const storage = storageCodeOf(err);
  const hit = storage === undefined ? undefined : RETRYABLE[storage];
  const notOpen = [...causeChain(err)].some((e) => (e as { code?: unknown }).code === NOT_OPEN);
  if (hit !== undefined || notOpen) {
    // The storage area's own errors already say what to do; keep their words.
    const advice =
      firstOf(err, AppError)?.message ??
      hit?.message ??
      'the database is not open yet: see the collector log and GET /healthz';
    return new IngestError('store_unavailable', `${advice}; the spans were not stored, retry later`, {
      cause: err,
      retryAfterSeconds: hit?.retryAfterSeconds ?? 5,
    });
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new IngestError('internal', `the spans could not be stored: ${detail}`, { cause: err });
}
