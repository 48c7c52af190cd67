import { AppError } from '../../shared/errors.js';
import type { ErrorSpec } from '../../shared/errors.js';

/**
 * The storage area's error table. Every failure of the database surfaces as a StorageError with a
 * stable code, the HTTP status an API should answer with, the file it concerns, and a message that
 * says what a person can do about it. The SQLite error stays as `cause`.
 */
export const STORAGE_ERRORS = {
  db_cantopen: { code: 'db_cantopen', status: 500 },
  db_readonly: { code: 'db_readonly', status: 503 },
  db_full: { code: 'db_full', status: 507 },
  db_busy: { code: 'db_busy', status: 503 },
  db_corrupt: { code: 'db_corrupt', status: 500 },
  db_io: { code: 'db_io', status: 500 },
  db_too_new: { code: 'db_too_new', status: 500 },
  db_closed: { code: 'db_closed', status: 503 },
  db_error: { code: 'db_error', status: 500 },
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
    return new StorageError('db_full', path,
      `${what}: the disk (or the database's page limit) is full. Free disk space, lower ` +
      'INFERTRACE_MAX_DB_SIZE or INFERTRACE_RETENTION so retention deletes old spans, or move --db to a larger disk.',
      { cause: error });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') {
    return new StorageError('db_readonly', path,
      `${what}: the file or its folder is read-only (${detail}). Make both writable by the collector's ` +
      'user (the folder too: SQLite creates -wal and -shm files beside the database), or choose another --db.',
      { cause: error });
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'ENOTDIR' || code === 'ENOENT') {
    return new StorageError('db_cantopen', path,
      `${what}: ${detail}. Check that the path is a file in a folder the collector's user can write, or choose another --db.`,
      { cause: error });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StorageError('db_busy', path,
      `${what}: another process holds a lock on it (${detail}). Run one collector per database file.`,
      { cause: error });
  }
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) {
    return new StorageError('db_corrupt', path,
      `${what}: the file is damaged or is not an SQLite database (${detail}). Move it aside and start ` +
      'with a fresh file; `sqlite3 FILE ".recover"` may save its contents.',
      { cause: error });
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'EIO' || code === 'ENOSPC') {
    return new StorageError(code === 'ENOSPC' ? 'db_full' : 'db_io', path,
      `${what}: the operating system reported an I/O error (${detail}). Check the disk and its free space.`,
      { cause: error });
  }
  return new StorageError('db_error', path, `${what}: ${detail}`, { cause: error });
}
