import type { Migration } from './migrations.js';

/**
 * Step 1: the span tables.
 *
 * Laid out for how SQLite B-trees age. Inserting a random key (trace ids, span ids, request ids
 * are random) into an index dirties one page per insert anywhere in the tree, and each dirty page
 * is written to the WAL at commit: past a few hundred thousand rows that dominates ingest. So no
 * index on the write path is keyed by a random value:
 * - spans live in a rowid table in arrival order (inserts append);
 * - the secondary indexes are keyed by (service | model, start-time bucket), whose few hot pages
 *   are at the right edge of each group;
 * - trace id, request id and subject id lookups, and the duplicate check, go through the key
 *   index (./key-index/): a memtable plus immutable sorted runs in `lookup`.
 * Repeated text — resource, scope, service, operation, model — is stored once, referenced by integer.
 */
export const BUCKET_SHIFT = 30n; // start-time buckets of 2^30 ns ≈ 1.07 s

export const spanTablesV1: Migration = {
  version: 1,
  name: 'span tables',
  up(db) {
    db.exec(`
      CREATE TABLE services (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE operations (
        id INTEGER PRIMARY KEY,
        service INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind INTEGER NOT NULL,            -- OTLP SpanKind number
        UNIQUE (service, name, kind)
      );
      CREATE TABLE models (id INTEGER PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, UNIQUE (name, version));
      -- A resource and an instrumentation scope, shared by every span that came with them.
      CREATE TABLE sources (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, resource TEXT NOT NULL,
        scope_name TEXT NOT NULL, scope_version TEXT NOT NULL);

      CREATE TABLE spans (
        id INTEGER PRIMARY KEY AUTOINCREMENT, -- arrival order; never reused (the key index points at rows)
        trace_id BLOB NOT NULL,           -- 16 bytes
        span_id BLOB NOT NULL,            -- 8 bytes
        kind INTEGER NOT NULL,
        parent_id BLOB,                   -- 8 bytes; NULL for a root
        service INTEGER NOT NULL,
        op INTEGER NOT NULL,
        source INTEGER NOT NULL,
        model INTEGER,                    -- when the span carries ml.model.name
        bucket INTEGER NOT NULL,          -- start_ns >> 30
        start_ns INTEGER NOT NULL,
        duration_ns INTEGER NOT NULL,     -- end - start, as sent
        status INTEGER NOT NULL,          -- OTLP Status.code number
        body TEXT NOT NULL                -- JSON: attributes, events, links, trace state, status message, flags
      );
      -- Searches by service, and by operation (checked inside the index, without reading rows).
      CREATE INDEX spans_by_service ON spans (service, bucket, op);
      CREATE INDEX spans_by_model ON spans (model, bucket) WHERE model IS NOT NULL;
      CREATE INDEX spans_by_error ON spans (bucket) WHERE status = 2;

      -- The key index's sorted runs: kind 0 trace id, 1 ml.request.id, 2 enduser.pseudo.id;
      -- key = 48 bits of the id (or of its hash); row = spans.id.
      CREATE TABLE lookup (run INTEGER NOT NULL, kind INTEGER NOT NULL, key INTEGER NOT NULL, row INTEGER NOT NULL,
        PRIMARY KEY (run, kind, key, row)) WITHOUT ROWID;
      CREATE TABLE lookup_runs (run INTEGER PRIMARY KEY, state INTEGER NOT NULL,
        first_row INTEGER NOT NULL, last_row INTEGER NOT NULL, bloom BLOB);

      -- When spans arrived, coarsely: every span with id <= max_id was stored by stored_s.
      -- Retention by age reads it to find the first span young enough to keep.
      CREATE TABLE arrivals (stored_s INTEGER PRIMARY KEY, max_id INTEGER NOT NULL);
    `);
  },
};

/** The whole schema of a database: the span tables, then the steps other areas registered (numbered from 2). */
export function withSpanTables(areaSteps: readonly Migration[]): Migration[] {
  return [spanTablesV1, ...areaSteps];
}
