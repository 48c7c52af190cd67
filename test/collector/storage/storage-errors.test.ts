import { describe, expect, it } from 'vitest';
import { StorageError, storageCodeOf, toStorageError } from '../../../collector/storage/storage-errors.js';

const sqliteError = (code: string, message = 'boom'): Error => Object.assign(new Error(message), { code });

describe('storage errors', () => {
  it.each([
    ['SQLITE_FULL', 'db_full', 507, 'INFERTRACE_MAX_DB_SIZE'],
    ['SQLITE_READONLY', 'db_readonly', 503, 'read-only'],
    ['SQLITE_READONLY_DIRECTORY', 'db_readonly', 503, 'folder'],
    ['SQLITE_CANTOPEN', 'db_cantopen', 500, '--db'],
    ['EACCES', 'db_cantopen', 500, '--db'],
    ['SQLITE_BUSY', 'db_busy', 503, 'one collector per database'],
    ['SQLITE_CORRUPT', 'db_corrupt', 500, 'Move it aside'],
    ['SQLITE_NOTADB', 'db_corrupt', 500, 'not an SQLite database'],
    ['SQLITE_IOERR_WRITE', 'db_io', 500, 'I/O error'],
    ['ENOSPC', 'db_full', 507, 'free space'],
    ['SQLITE_ERROR', 'db_error', 500, 'boom'],
  ])('maps %s to %s (HTTP %i) with advice', (sqliteCode, code, status, advice) => {
    const cause = sqliteError(sqliteCode);
    const e = toStorageError(cause, '/data/x.db', 'write spans to');
    expect(e).toBeInstanceOf(StorageError);
    expect([e.code, e.status, e.path, e.cause]).toEqual([code, status, '/data/x.db', cause]);
    expect(e.message).toContain('/data/x.db');
    expect(e.message).toContain(advice);
    expect(e.toJSON()).toEqual({ error: { code, message: e.message } });
  });

  it('passes a StorageError through unchanged', () => {
    const e = new StorageError('db_closed', ':memory:', 'closed');
    expect(toStorageError(e, 'other', 'read')).toBe(e);
  });

  it.each([
    ['a bare SQLite error', sqliteError('SQLITE_FULL'), 'db_full'],
    ['an errno', sqliteError('EDQUOT'), 'db_full'],
    [
      'the innermost code under a wrapper',
      new Error('not open', { cause: sqliteError('SQLITE_READONLY_DBMOVED') }),
      'db_readonly',
    ],
    ['a StorageError without a classified cause', new StorageError('db_closed', ':memory:', 'closed'), 'db_closed'],
    ['an unclassified SQLite code', sqliteError('SQLITE_MISUSE'), undefined],
    ['no code at all', new Error('boom'), undefined],
  ])('classifies %s along the cause chain', (_name, error, code) => {
    expect(storageCodeOf(error)).toBe(code);
  });
});
