import type Database from 'better-sqlite3';
import type { Migration } from '../storage/sqlite/migrations.js';

/**
 * The tables of the subject rights beyond erasure, in the span database:
 * - subject_restrictions: one row per pseudonym and kind (`restriction`, Art. 18; `objection`,
 *   Art. 21) while it stands; lifting deletes the row (the audit log keeps the history);
 * - subject_held_spans: spans of a restricted subject that forwarding holds back, by identity only,
 *   released to the outbox when the last restriction on them is lifted;
 * - subject_rectifications: the history of corrections (Art. 16): which field of which span or
 *   feedback label was corrected, when and by which token — never the old or new value.
 */
function createRestrictionTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS subject_restrictions (
      pseudonym TEXT NOT NULL,          -- hmac:<keyid>:<hex>
      kind TEXT NOT NULL,               -- 'restriction' | 'objection'
      since_ms INTEGER NOT NULL,
      PRIMARY KEY (pseudonym, kind)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS subject_held_spans (
      pseudonym TEXT NOT NULL,
      trace_id TEXT NOT NULL,
      span_id TEXT NOT NULL,
      held_ms INTEGER NOT NULL,
      PRIMARY KEY (pseudonym, trace_id, span_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS subject_rectifications (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      pseudonym TEXT NOT NULL,
      target TEXT NOT NULL,             -- 'input' | 'label'
      request_id TEXT NOT NULL,         -- ml.request.id of the corrected request
      trace_id TEXT,                    -- the span corrected (input)
      span_id TEXT,
      field TEXT NOT NULL,              -- ml.input.<name>, or 'label'
      row_index INTEGER,                -- batch row, when the value is one row of an array
      token TEXT,                       -- name of the token that asked
      corrected_ms INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS subject_rectifications_by_subject ON subject_rectifications (pseudonym, id);
  `);
}

export function restrictionSchemaStep(version: number): Migration {
  return {
    version,
    name: 'subject restrictions, objections, held spans and rectifications',
    up: createRestrictionTables,
  };
}
