import type Database from 'better-sqlite3';
import type { Migration } from '../storage/sqlite/migrations.js';

/**
 * The alert tables: rules (from the API and the rules file), alerts (pending, firing, and resolved
 * ones kept for the history), and the notification outbox, whose UNIQUE key is what makes delivery
 * once per state change per receiver. Rule and alert bodies are JSON; the columns queried are
 * broken out.
 */
function createAlertTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS alert_rules (
      id TEXT PRIMARY KEY,
      origin TEXT NOT NULL,             -- file | api
      body TEXT NOT NULL                -- JSON of the rule
    ) WITHOUT ROWID;

    CREATE TABLE IF NOT EXISTS alerts (
      id TEXT PRIMARY KEY,              -- {rule id}@{active at ms}
      rule_id TEXT NOT NULL,
      state TEXT NOT NULL,              -- pending | firing | resolved
      active_ms INTEGER NOT NULL,
      resolved_ms INTEGER,
      body TEXT NOT NULL                -- JSON of the alert
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state, active_ms);
    CREATE INDEX IF NOT EXISTS alerts_by_resolved ON alerts (resolved_ms) WHERE resolved_ms IS NOT NULL;

    CREATE TABLE IF NOT EXISTS alert_notifications (
      id INTEGER PRIMARY KEY,
      alert_id TEXT NOT NULL,
      receiver TEXT NOT NULL,
      event TEXT NOT NULL,              -- firing | resolved | repeat
      seq INTEGER NOT NULL,
      alert TEXT NOT NULL,              -- JSON of the alert when the event happened
      created_ms INTEGER NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_ms INTEGER NOT NULL,
      status TEXT NOT NULL,             -- queued | delivered | failed | superseded
      done_ms INTEGER,
      last_error TEXT,
      UNIQUE (alert_id, receiver, event, seq)
    );
    CREATE INDEX IF NOT EXISTS alert_notifications_due ON alert_notifications (status, next_attempt_ms);
  `);
}

/** The schema step that creates the alert tables, numbered where it is appended. */
export function alertSchemaStep(version: number): Migration {
  return { version, name: 'alert tables (rules, alerts, notification outbox)', up: createAlertTables };
}
