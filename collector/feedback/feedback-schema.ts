import type Database from 'better-sqlite3';
import type { Migration } from '../storage/sqlite/migrations.js';

/**
 * The feedback tables. `feedback` holds ground truth joined to its prediction, one row per
 * (request id, batch row), read by model and prediction time; `feedback_pending` holds truth whose
 * request is not stored (yet), retried until it joins or expires. Label, prediction and slices are
 * JSON text so a class keeps its type ("1" is not 1). `subject` is indexed for erasure.
 */
function createFeedbackTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS feedback (
      request_id TEXT NOT NULL,
      row INTEGER NOT NULL,
      model TEXT NOT NULL,
      version TEXT NOT NULL,
      trace_id TEXT NOT NULL,
      span_id TEXT NOT NULL,
      subject TEXT,
      output TEXT NOT NULL,
      prediction TEXT,                  -- JSON scalar, NULL when the output held nothing usable
      label TEXT,                       -- JSON scalar, classification
      value REAL,                       -- regression
      prediction_ms INTEGER NOT NULL,
      feedback_ms INTEGER NOT NULL,
      received_ms INTEGER NOT NULL,
      slices TEXT NOT NULL,             -- JSON object of scalar span attributes
      PRIMARY KEY (request_id, row)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS feedback_by_model_time ON feedback (model, prediction_ms);
    CREATE INDEX IF NOT EXISTS feedback_by_subject ON feedback (subject) WHERE subject IS NOT NULL;

    CREATE TABLE IF NOT EXISTS feedback_pending (
      request_id TEXT NOT NULL,
      row INTEGER NOT NULL,             -- -1 when the item gave no row
      label TEXT,
      value REAL,
      feedback_ms INTEGER NOT NULL,
      received_ms INTEGER NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_ms INTEGER NOT NULL,
      PRIMARY KEY (request_id, row)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS feedback_pending_due ON feedback_pending (next_attempt_ms);
  `);
}

/** The schema step that creates the feedback tables, numbered where it is appended. */
export function feedbackSchemaStep(version: number): Migration {
  return {
    version,
    name: 'feedback tables (ground truth joined to predictions, pending feedback)',
    up: createFeedbackTables,
  };
}
