import type Database from 'better-sqlite3';
import type { Migration } from '../storage/sqlite/migrations.js';

/**
 * The subject-rights tables (part A):
 * - `subject_requests`: the audit log and the job table at once. One row per request (erase,
 *   export, restrict…): who asked (the token's name), what, when, counts per store, the result. It
 *   never holds a captured value or a raw id: the subject is kept as a SHA-256 of their pseudonyms;
 *   the pseudonyms themselves sit in `pending` only while the request runs (so one interrupted by a
 *   crash can finish on restart) and are cleared when it finishes. Append-only apart from that.
 * - `subject_erasures`: the idempotency records of an erasure, one per span row it changed, written
 *   in the same transaction as the span change and the summaries' update, so a retry after a crash
 *   never takes the same contribution out of a summary twice.
 */
function createSubjectTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS subject_requests (
      id TEXT PRIMARY KEY,              -- sr_<random>
      action TEXT NOT NULL,             -- erase, export, restrict, …
      params TEXT NOT NULL,             -- JSON: the action's options (mode…), never a value or raw id
      subject_hash TEXT NOT NULL,       -- sha256 hex of the sorted pseudonyms
      pending TEXT,                     -- JSON array of pseudonyms while running; NULL once finished
      token TEXT NOT NULL,              -- the token's name ('' without authentication)
      created_ms INTEGER NOT NULL,
      finished_ms INTEGER,
      status TEXT NOT NULL,             -- running, done, failed
      counts TEXT,                      -- JSON: per store, what was found and changed
      result TEXT                       -- JSON: the receipt, or the failure
    );
    CREATE INDEX IF NOT EXISTS subject_requests_running ON subject_requests (status) WHERE status = 'running';
    CREATE TABLE IF NOT EXISTS subject_erasures (
      request_id TEXT NOT NULL,
      span_row INTEGER NOT NULL,
      PRIMARY KEY (request_id, span_row)
    ) WITHOUT ROWID;
  `);
}

export function subjectSchemaStep(version: number): Migration {
  return { version, name: 'subject requests (audit log, jobs) and erasure records', up: createSubjectTables };
}
