import type Database from 'better-sqlite3';
import type { Migration } from '../storage/sqlite/migrations.js';

/**
 * The drift tables, in the collector's database:
 * - drift_summaries: one encoded summary (summaries/summary-codec.ts) per model, version, time
 *   bucket and feature; keyed so a window of one model is one range scan; `width_ms` is stored per
 *   row, so changing the bucket width later leaves old rows readable;
 * - drift_references + drift_reference_features: a model's (per-version or model-wide) reference,
 *   either a pinned time window or an uploaded training profile with one summary per feature and,
 *   up to a cap, its raw values as JSON so statistics against it can be exact.
 */
function createDriftTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS drift_summaries (
      model TEXT NOT NULL,
      version TEXT NOT NULL,            -- '' when spans carry no ml.model.version
      bucket_ms INTEGER NOT NULL,       -- bucket start, epoch ms
      feature TEXT NOT NULL,            -- input.<name> | output.<name>
      width_ms INTEGER NOT NULL,
      summary BLOB NOT NULL,
      PRIMARY KEY (model, version, bucket_ms, feature)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS drift_summaries_by_time ON drift_summaries (bucket_ms);

    CREATE TABLE IF NOT EXISTS drift_references (
      model TEXT NOT NULL,
      version TEXT NOT NULL,            -- '' for every version of the model
      kind TEXT NOT NULL,               -- training | window
      created_ms INTEGER NOT NULL,
      source TEXT,                      -- training: csv | json
      rows INTEGER,                     -- training: rows uploaded
      start_ms INTEGER,                 -- window
      end_ms INTEGER,
      PRIMARY KEY (model, version)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS drift_reference_features (
      id INTEGER PRIMARY KEY,
      model TEXT NOT NULL,
      version TEXT NOT NULL,
      feature TEXT NOT NULL,
      summary BLOB NOT NULL,
      raw TEXT,                         -- JSON array of the values (null = missing), when kept
      UNIQUE (model, version, feature)
    );
  `);
}

/** The schema step that creates the drift tables, numbered where it is appended. */
export function driftSchemaStep(version: number): Migration {
  return { version, name: 'drift tables (feature summaries per time bucket, references)', up: createDriftTables };
}
