import type Database from 'better-sqlite3';

/**
 * Every fixed statement of the span store, prepared once when the store opens. (Searches, whose
 * shape depends on the query, are prepared on first use and cached by their SQL text; the key
 * index prepares its own.)
 */
export function prepareStatements(db: Database.Database) {
  const p = (sql: string): Database.Statement => db.prepare(sql);
  return {
    // writing
    serviceId: p('SELECT id FROM services WHERE name = ?').pluck(),
    insertService: p('INSERT INTO services (name) VALUES (?)'),
    opId: p('SELECT id FROM operations WHERE service = ? AND name = ? AND kind = ?').pluck(),
    insertOp: p('INSERT INTO operations (service, name, kind) VALUES (?, ?, ?)'),
    modelId: p('SELECT id FROM models WHERE name = ? AND version = ?').pluck(),
    insertModel: p('INSERT INTO models (name, version) VALUES (?, ?)'),
    sourceId: p('SELECT id FROM sources WHERE key = ?').pluck(),
    insertSource: p('INSERT INTO sources (key, resource, scope_name, scope_version) VALUES (?, ?, ?, ?)'),
    insertSpan: p(`INSERT INTO spans (trace_id, span_id, kind, parent_id, service, op, source, model,
      bucket, start_ns, duration_ns, status, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    markArrival: p(`INSERT INTO arrivals (stored_s, max_id) VALUES (?, ?)
      ON CONFLICT (stored_s) DO UPDATE SET max_id = excluded.max_id`),

    // reading (BigInt for the nanosecond columns)
    spanById: p(`SELECT id, trace_id, span_id, kind, parent_id, service, op, source, start_ns, duration_ns, status, body
      FROM spans WHERE id = ?`).safeIntegers(true),
    identityById: p('SELECT trace_id, span_id, kind, start_ns = 0 AS untimed FROM spans WHERE id = ?'),
    keyRowById: p('SELECT trace_id, start_ns, body FROM spans WHERE id = ?').safeIntegers(true),
    spansAfter: p(
      'SELECT id, trace_id, span_id, kind, start_ns = 0 AS untimed, body FROM spans WHERE id > ? ORDER BY id',
    ),
    services: p('SELECT id, name FROM services'),
    operations: p('SELECT id, service, name, kind FROM operations'),
    sources: p('SELECT id, resource, scope_name, scope_version FROM sources'),
    opsOfService: p(
      `SELECT o.id, o.name, o.kind FROM operations o JOIN services s ON s.id = o.service WHERE s.name = ?`,
    ),
    modelIds: p('SELECT id, name, version FROM models'),

    // erasure
    deleteSpan: p('DELETE FROM spans WHERE id = ?'),

    // retention
    minSpanId: p('SELECT min(id) FROM spans').pluck(),
    lastSpanId: p("SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'spans'), 0)").pluck(),
    lastArrivalBefore: p('SELECT max_id FROM arrivals WHERE stored_s < ? ORDER BY stored_s DESC LIMIT 1').pluck(),
    deleteSpansUpTo: p('DELETE FROM spans WHERE id IN (SELECT id FROM spans WHERE id <= ? ORDER BY id LIMIT ?)'),
    deleteArrivalsUpTo: p('DELETE FROM arrivals WHERE max_id <= ?'),
    pruneServices: p('DELETE FROM services WHERE NOT EXISTS (SELECT 1 FROM spans WHERE spans.service = services.id)'),
    // Operations go with their service (one per operation would need an index of its own).
    pruneOperations: p(
      'DELETE FROM operations WHERE NOT EXISTS (SELECT 1 FROM services WHERE services.id = operations.service)',
    ),
    pruneModels: p('DELETE FROM models WHERE NOT EXISTS (SELECT 1 FROM spans WHERE spans.model = models.id)'),
    pageCount: p('PRAGMA page_count').pluck(),
    freelistCount: p('PRAGMA freelist_count').pluck(),
    pageSize: p('PRAGMA page_size').pluck(),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
