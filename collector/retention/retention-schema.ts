import type Database from 'better-sqlite3';
import type { Migration } from '../storage/sqlite/migrations.js';

/**
 * What the retention policy needs of the area tables: a `keep` mark on references (a training
 * profile kept whatever its age), and indexes on the times feedback is pruned by, so each batch is
 * a range scan.
 */
function addRetentionColumns(db: Database.Database): void {
  db.exec(`
    ALTER TABLE drift_references ADD COLUMN keep INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX IF NOT EXISTS feedback_by_prediction_time ON feedback (prediction_ms);
    CREATE INDEX IF NOT EXISTS feedback_pending_by_received ON feedback_pending (received_ms);
  `);
}

/** The schema step of the retention policy, numbered where it is appended. */
export function retentionSchemaStep(version: number): Migration {
  return { version, name: 'retention (reference keep mark, feedback time indexes)', up: addRetentionColumns };
}
