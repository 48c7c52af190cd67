import type Database from 'better-sqlite3';
import type { Migration } from '../storage/sqlite/migrations.js';

/**
 * relationship_summaries: one JSON-encoded pair summary (summaries/pair-summary.ts) per model,
 * version, time bucket and (input, output) pair; keyed so a window of one model is one range scan.
 * `width_ms` is stored per row, as drift does, so a later bucket width leaves old rows readable.
 */
function createRelationshipTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS relationship_summaries (
      model TEXT NOT NULL,
      version TEXT NOT NULL,            -- '' when spans carry no ml.model.version
      bucket_ms INTEGER NOT NULL,       -- bucket start, epoch ms
      input TEXT NOT NULL,              -- input.<name>
      output TEXT NOT NULL,             -- output.<name>
      width_ms INTEGER NOT NULL,
      summary TEXT NOT NULL,
      PRIMARY KEY (model, version, bucket_ms, input, output)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS relationship_summaries_by_time ON relationship_summaries (bucket_ms);
  `);
}

export function relationshipSchemaStep(version: number): Migration {
  return { version, name: 'relationship summaries (input–output pairs per time bucket)', up: createRelationshipTables };
}
