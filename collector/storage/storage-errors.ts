import { AppError } from '../../shared/errors.js';
import type { ErrorSpec } from '../../shared/errors.js';

/**
 * The storage area's error table. Every failure of the database surfaces as a StorageError with a
 * stable code, the HTTP status an API should answer with, the file it concerns, and a message that
 * says what a person can do about it. The SQLite error stays as `cause`.
 */
export const STORAGE_ERRORS = {
  DB_CANTOPEN: { code: 'DB_CANTOPEN', status: 500 },
  DB_READONLY: { code: 'DB_READONLY', status: 503 },
  DB_FULL: { code: 'DB_FULL', status: 507 },
  DB_BUSY: { code: 'DB_BUSY', status: 503 },
  DB_CORRUPT: { code: 'DB_CORRUPT', status: 500 },
  DB_IO: { code: 'DB_IO', status: 500 },
  DB_TOO_NEW: { code: 'DB_TOO_NEW', status: 500 },
  DB_CLOSED: { code: 'DB_CLOSED', status: 503 },
  DB_ERROR: { code: 'DB_ERROR', status: 500 },
} as const satisfies Record<string, ErrorSpec>;

export type StorageErrorCode = keyof typeof STORAGE_ERRORS;

export class StorageError extends AppError {
  /** The database file concerned (':memory:' for an in-memory database). */
  readonly path: string;
  constructor(code: StorageErrorCode, path: string, message: string, options?: { cause?: unknown }) {
    super(STORAGE_ERRORS[code], message, options);
    this.name = 'StorageError';
    this.path = path;
  }
}

/** The SQLite (or file system) error code of an error, if it has one. */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/**
 * Turns whatever better-sqlite3 or the file system threw while `doing` something into a
 * StorageError. `doing` completes the sentence "could not … the span database".
 */
export function toStorageError(error: unknown, path: string, doing: string): StorageError {
  if (error instanceof StorageError) return error;
  const code = codeOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  const what = `could not ${doing} the span database ${path}`;
  if (code.startsWith('SQLITE_FULL')) {
    return new StorageError('DB_FULL', path,
      `${what}: the disk (or the database's page limit) is full. Free disk space, lower ` +
      'INFERTRACE_MAX_DB_SIZE or INFERTRACE_RETENTION so retention deletes old spans, or move --db to a larger disk.',
      { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') {
    return new StorageError('DB_READONLY', path,
      `${what}: the file or its folder is read-only (${detail}). Make both writable by the collector's ` +
      'user (the folder too: SQLite creates -wal and -shm files beside the database), or choose another --db.',
      { cause: error });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'ENOENT') {
    return new StorageError('DB_CANTOPEN', path,
      `${what}: ${detail}. Check that the path is a file in a folder the collector's user can write, or choose another --db.`,
      { cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StorageError('DB_BUSY', path,
      `${what}: another process holds a lock on it (${detail}). Run one collector per database file.`,
      { cause: error });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new StorageError('DB_CORRUPT', path,
      `${what}: the file is damaged or is not an SQLite database (${detail}). Move it aside and start ` +
      'with a fresh file; `sqlite3 FILE ".recover"` may save its contents.',
      { cause: error });
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO' || code === 'ENOSPC') {
    return new StorageError(code === 'ENOSPC' ? 'DB_FULL' : 'DB_IO', path,
      `${what}: the operating system reported an I/O error (${detail}). Check the disk and its free space.`,
      { cause: error });
  }
  return new StorageError('DB_ERROR', path, `${what}: ${detail}`, { cause: error });
}
