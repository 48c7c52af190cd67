import type { Migration } from './migrations.js';

/**
 * Step 1: the span tables.
 *
 * Laid out for how SQLite B-trees age. Spans live in a rowid table in arrival order, so inserting
 * appends to the right edge of the tree. Trace and span ids are random, and an index keyed on a
 * random value dirties one page per insert anywhere in the tree (and every dirty page is written to
 * the WAL at commit): such indexes are kept to the minimum — one row per TRACE in `traces` (its
 * 16-byte id ↦ a sequence number handed out in arrival order), and the request-id and subject
 * lookups, whose keys are 53-bit hashes so the index stays small. Everything else is keyed by
 * values that grow with time: the uniqueness key (trace sequence, span id, kind), and
 * (service | operation | model, start time). Repeated text — resource, scope, service, operation,
 * model — is stored once in small tables and referenced by integer.
 */
export const spanTablesV1: Migration = {
  version: 1,
  name: 'span tables',
  up(db) {
    db.exec(`
      CREATE TABLE traces (
        seq INTEGER PRIMARY KEY,          -- arrival order of the trace's first span
        id BLOB NOT NULL                  -- 16 bytes
      );
      CREATE UNIQUE INDEX traces_by_id ON traces (id);

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
        id INTEGER PRIMARY KEY,           -- arrival order
        trace INTEGER NOT NULL,           -- traces.seq
        span_id BLOB NOT NULL,            -- 8 bytes
        kind INTEGER NOT NULL,
        parent_id BLOB,                   -- 8 bytes; NULL for a root
        service INTEGER NOT NULL,
        op INTEGER NOT NULL,
        source INTEGER NOT NULL,
        model INTEGER,                    -- when the span carries ml.model.name
        start_ns INTEGER NOT NULL,
        duration_ns INTEGER NOT NULL,
        status INTEGER NOT NULL,          -- OTLP Status.code number
        request_key INTEGER,              -- hash of ml.request.id
        subject_key INTEGER,              -- hash of enduser.pseudo.id
        body TEXT NOT NULL                -- JSON: attributes, events, links, trace state, status message, flags
      );
      CREATE UNIQUE INDEX spans_by_key ON spans (trace, span_id, kind);
      CREATE INDEX spans_by_service ON spans (service, start_ns);
      CREATE INDEX spans_by_op ON spans (op, start_ns);
      CREATE INDEX spans_by_model ON spans (model, start_ns) WHERE model IS NOT NULL;
      CREATE INDEX spans_by_error ON spans (start_ns) WHERE status = 2;
      CREATE INDEX spans_by_request ON spans (request_key) WHERE request_key IS NOT NULL;
      CREATE INDEX spans_by_subject ON spans (subject_key) WHERE subject_key IS NOT NULL;

      -- When spans arrived, coarsely: every span with id <= max_id was stored by stored_s.
      -- Retention by age reads it to find the first span young enough to keep.
      CREATE TABLE arrivals (stored_s INTEGER PRIMARY KEY, max_id INTEGER NOT NULL);
    `);
  },
};
