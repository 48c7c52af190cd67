import type { ErrorCode } from '../../shared/error-codes.js';
import { AppError } from '../../shared/errors.js';

/**
 * The one place SQLite and file-system failures are classified. Every failure of the database
 * surfaces as a StorageError with a code from the registry (the db_* codes), the file it concerns,
 * and a message that says what a person can do about it. The SQLite error stays as `cause`.
 */
export type StorageErrorCode = Extract<ErrorCode, `db_${string}`>;

export class StorageError extends AppError {
  declare readonly code: StorageErrorCode;
  /** The database file concerned (':memory:' for an in-memory database). */
  readonly path: string;
  constructor(code: StorageErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'StorageError';
    this.path = path;
  }
}

/** Each class of failure: the SQLite (prefix) or errno codes that belong to it, and what to do. */
const CLASSES: readonly {
  code: StorageErrorCode;
  sqlite: readonly string[];
  errno: readonly string[];
  advice: (detail: string) => string;
}[] = [
  {
    code: 'db_full',
    sqlite: ['SQLITE_FULL'],
    errno: ['ENOSPC', 'EDQUOT'],
    advice: () =>
      "the disk (or the database's page limit) is full. Make free space on its disk, lower INFERTRACE_MAX_DB_SIZE or " +
      'INFERTRACE_RETENTION so retention deletes old spans, or move --db to a larger disk',
  },
  {
    code: 'db_readonly',
    sqlite: ['SQLITE_READONLY'],
    errno: ['EROFS'],
    advice: (detail) =>
      `the file or its folder is read-only (${detail}). Make both writable by the collector's user (the ` +
      'folder too: SQLite creates -wal and -shm files beside the database), or choose another --db',
  },
  {
    code: 'db_cantopen',
    sqlite: ['SQLITE_CANTOPEN'],
    errno: ['EACCES', 'EPERM', 'ENOTDIR', 'ENOENT'],
    advice: (detail) =>
      `${detail}. Check that the path is a file in a folder the collector's user can write, or choose another --db`,
  },
  {
    code: 'db_busy',
    sqlite: ['SQLITE_BUSY', 'SQLITE_LOCKED'],
    errno: [],
    advice: (detail) => `another process holds a lock on it (${detail}). Run one collector per database file`,
  },
  {
    code: 'db_corrupt',
    sqlite: ['SQLITE_CORRUPT', 'SQLITE_NOTADB'],
    errno: [],
    advice: (detail) =>
      `the file is damaged or is not an SQLite database (${detail}). Move it aside and start with a fresh ` +
      'file; `sqlite3 FILE ".recover"` may save its contents',
  },
  {
    code: 'db_io',
    sqlite: ['SQLITE_IOERR'],
    errno: ['EIO'],
    advice: (detail) => `the operating system reported an I/O error (${detail}). Check the disk and its free space`,
  },
];

/** The storage class of one SQLite or errno code, if it has one. */
function classOf(code: string): (typeof CLASSES)[number] | undefined {
  return CLASSES.find((c) => c.errno.includes(code) || c.sqlite.some((prefix) => code.startsWith(prefix)));
}

/** The error and its causes, outermost first (at most 8 deep). */
export function* causeChain(err: unknown): Generator<object> {
  let e: unknown = err;
  for (let i = 0; i < 8 && typeof e === 'object' && e !== null; i++) {
    yield e;
    e = (e as { cause?: unknown }).cause;
  }
}

/**
 * The db_* code of a failure: the innermost SQLite or errno code along the cause chain that has a
 * class (the most specific), else the code of a StorageError in the chain, else undefined.
 */
export function storageCodeOf(err: unknown): StorageErrorCode | undefined {
  const chain = [...causeChain(err)];
  for (const e of chain.reverse()) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      const found = classOf(code);
      if (found !== undefined) return found.code;
    }
  }
  return chain.find((e): e is StorageError => e instanceof StorageError)?.code;
}

/**
 * Turns whatever better-sqlite3 or the file system threw while `doing` something into a
 * StorageError. `doing` completes the sentence "could not … the span database".
 */
export function toStorageError(error: unknown, path: string, doing: string): StorageError {
  if (error instanceof StorageError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const what = `could not ${doing} the span database ${path}`;
  const code = (error as { code?: unknown } | null)?.code;
  const found = typeof code === 'string' ? classOf(code) : undefined;
  if (found === undefined) return new StorageError('db_error', path, `${what}: ${detail}`, { cause: error });
  return new StorageError(found.code, path, `${what}: ${found.advice(detail)}.`, { cause: error });
}
