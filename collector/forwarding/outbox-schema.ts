import type { Migration } from '../storage/sqlite/migrations.js';

/**
 * The export outbox's table, in the collector's database (same file, same WAL). One row holds a
 * ready-to-send fragment of a request body for one destination: the JSON items that go between
 * the brackets of a Zipkin span list or of OTLP's `resourceSpans`, so rows concatenate into a
 * batch without parsing. Rows are sent oldest first (the rowid) and deleted once delivered or given up.
 *
 * Registered as `outboxStep(<its version>)` in collector/area-schema.ts.
 */
export const OUTBOX_TABLE = 'export_outbox';

export function createOutboxTables(db: { exec(sql: string): unknown }): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${OUTBOX_TABLE} (
      id INTEGER PRIMARY KEY AUTOINCREMENT,  -- send order; AUTOINCREMENT so ids never go back
      destination TEXT NOT NULL,             -- Destination.key
      span_count INTEGER NOT NULL,
      created_ms INTEGER NOT NULL,
      attempts INTEGER NOT NULL DEFAULT 0,   -- failed deliveries so far (for the status report)
      fragment TEXT NOT NULL                 -- JSON items, comma-separated, without brackets
    );
    CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_by_destination ON ${OUTBOX_TABLE} (destination, id);
  `);
}

export function outboxStep(version: number): Migration {
  return { version, name: 'export outbox', up: createOutboxTables };
}
