import { AppError } from '../../shared/errors.js';
import { StoreFullError } from '../storage/span-store.js';
import { IngestError, IngestErrors } from './ingest-errors.js';

/**
 * Turns a failed `store.writeSpans` into the answer a sender can act on. A full write queue and a
 * database that cannot take writes for now (disk full, read-only file, I/O error, busy) are
 * retryable (503 with Retry-After: 5 s, 1 s when busy), so senders back off instead of dropping data, and the collector
 * keeps running and serving reads instead of crashing into a restart loop. Anything else is a 500.
 */
const UNAVAILABLE: { pattern: RegExp; retryAfterSeconds: number; message: string }[] = [
  { pattern: /^SQLITE_FULL/, retryAfterSeconds: 5, message: 'the database disk is full: free space on its volume, or lower INFERTRACE_RETENTION / INFERTRACE_MAX_DB_SIZE' },
  { pattern: /^SQLITE_READONLY/, retryAfterSeconds: 5, message: 'the database is read-only: give the collector write access to the file named by --db / INFERTRACE_DB and its folder' },
  { pattern: /^SQLITE_(IOERR|CANTOPEN)/, retryAfterSeconds: 5, message: 'the database file could not be written (I/O error): check the volume behind --db / INFERTRACE_DB' },
  { pattern: /^SQLITE_(BUSY|LOCKED)/, retryAfterSeconds: 1, message: 'the database is busy' },
  { pattern: /^(ENOSPC|EDQUOT)$/, retryAfterSeconds: 5, message: 'the database disk is full: free space on its volume' },
  { pattern: /^(EROFS|EACCES|EPERM|EIO)$/, retryAfterSeconds: 5, message: 'the database file could not be written: check its permissions and volume' },
  { pattern: /^db_(full|readonly|io|busy|cantopen|closed)$/, retryAfterSeconds: 5, message: 'the span database cannot take writes now' },
  { pattern: /^store_not_open$/, retryAfterSeconds: 5, message: 'the database is not open yet: see the collector log and GET /healthz' },
];

/** The error and its causes, outermost first (at most 8 deep). */
function* causeChain(err: unknown): Generator<object> {
  let e: unknown = err;
  for (let i = 0; i < 8 && typeof e === 'object' && e !== null; i++) {
    yield e;
    e = (e as { cause?: unknown }).cause;
  }
}

/** The error codes (`code` properties) along the cause chain, outermost first. */
function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  for (const e of causeChain(err)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  return codes;
}

/** The first error along the cause chain that is a `type`. */
function firstOf<T>(err: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (const e of causeChain(err)) if (e instanceof type) return e;
  return undefined;
}

export function storeWriteError(err: unknown): IngestError {
  if (err instanceof IngestError) return err;
  const full = firstOf(err, StoreFullError);
  if (full !== undefined) {
    return new IngestError(IngestErrors.storeFull, 'the collector is busy (its write queue is full): retry after the Retry-After interval', {
      cause: err,
      retryAfterSeconds: full.retryAfterSeconds,
    });
  }
  // The innermost code is the most specific (SQLITE_READONLY under store_not_open).
  for (const code of codesOf(err).reverse()) {
    const hit = UNAVAILABLE.find((u) => u.pattern.test(code));
    if (hit !== undefined) {
      // The storage area's own errors already say what to do; keep their words.
      const advice = firstOf(err, AppError)?.message ?? `${hit.message} (${code})`;
      return new IngestError(IngestErrors.storeUnavailable, `${advice}; the spans were not stored, retry later`, {
        cause: err,
        retryAfterSeconds: hit.retryAfterSeconds,
      });
    }
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new IngestError(IngestErrors.internal, `the spans could not be stored: ${detail}`, { cause: err });
}
