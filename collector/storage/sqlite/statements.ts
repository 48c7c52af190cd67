import type Database from 'better-sqlite3';

/**
 * Every fixed statement of the span store, prepared once when the store opens. (Searches, whose
 * shape depends on the query, are prepared on first use and cached by their SQL text.)
 */
export function prepareStatements(db: Database.Database) {
  const p = (sql: string): Database.Statement => db.prepare(sql);
  return {
    // writing
    traceSeq: p('SELECT seq FROM traces WHERE id = ?').pluck(),
    insertTrace: p('INSERT INTO traces (id) VALUES (?)'),
    serviceId: p('SELECT id FROM services WHERE name = ?').pluck(),
    insertService: p('INSERT INTO services (name) VALUES (?)'),
    opId: p('SELECT id FROM operations WHERE service = ? AND name = ? AND kind = ?').pluck(),
    insertOp: p('INSERT INTO operations (service, name, kind) VALUES (?, ?, ?)'),
    modelId: p('SELECT id FROM models WHERE name = ? AND version = ?').pluck(),
    insertModel: p('INSERT INTO models (name, version) VALUES (?, ?)'),
    sourceId: p('SELECT id FROM sources WHERE key = ?').pluck(),
    insertSource: p('INSERT INTO sources (key, resource, scope_name, scope_version) VALUES (?, ?, ?, ?)'),
    insertSpan: p(`INSERT OR IGNORE INTO spans (trace, span_id, kind, parent_id, service, op, source, model,
      start_ns, duration_ns, status, request_key, subject_key, body) VALUES
      (@trace, @spanId, @kind, @parentId, @service, @op, @source, @model,
       @start, @duration, @status, @requestKey, @subjectKey, @body)`),
    maxSpanId: p('SELECT max(id) FROM spans').pluck(),
    markArrival: p(`INSERT INTO arrivals (stored_s, max_id) VALUES (?, ?)
      ON CONFLICT (stored_s) DO UPDATE SET max_id = excluded.max_id`),

    // reading (BigInt for the nanosecond columns)
    traceId: p('SELECT id FROM traces WHERE seq = ?').pluck(),
    spansOfTrace: p(`SELECT span_id, kind, parent_id, service, op, source, start_ns, duration_ns, status, body
      FROM spans WHERE trace = ?`).safeIntegers(true),
    byRequestKey: p('SELECT trace, start_ns, body FROM spans WHERE request_key = ?').safeIntegers(true),
    bySubjectKey: p('SELECT trace, start_ns, body FROM spans WHERE subject_key = ?').safeIntegers(true),
    services: p('SELECT id, name FROM services'),
    operations: p('SELECT id, service, name, kind FROM operations'),
    sources: p('SELECT id, resource, scope_name, scope_version FROM sources'),
    opsOfService: p(`SELECT o.id, o.name, o.kind FROM operations o JOIN services s ON s.id = o.service WHERE s.name = ?`),
    modelIds: p('SELECT id, name, version FROM models'),

    // retention
    minSpanId: p('SELECT min(id) FROM spans').pluck(),
    spanCount: p('SELECT count(*) FROM spans').pluck(),
    lastArrivalBefore: p('SELECT max_id FROM arrivals WHERE stored_s < ? ORDER BY stored_s DESC LIMIT 1').pluck(),
    deleteSpansUpTo: p('DELETE FROM spans WHERE id IN (SELECT id FROM spans WHERE id <= ? ORDER BY id LIMIT ?)'),
    deleteArrivalsUpTo: p('DELETE FROM arrivals WHERE max_id <= ?'),
    minLiveTrace: p('SELECT min(trace) FROM spans').pluck(),
    deleteTracesBelow: p('DELETE FROM traces WHERE seq IN (SELECT seq FROM traces WHERE seq < ? ORDER BY seq LIMIT ?)'),
    deleteAllTraces: p('DELETE FROM traces WHERE seq IN (SELECT seq FROM traces ORDER BY seq LIMIT ?)'),
    pruneOperations: p('DELETE FROM operations WHERE NOT EXISTS (SELECT 1 FROM spans WHERE spans.op = operations.id)'),
    pruneServices: p('DELETE FROM services WHERE NOT EXISTS (SELECT 1 FROM spans WHERE spans.service = services.id)'),
    pruneModels: p('DELETE FROM models WHERE NOT EXISTS (SELECT 1 FROM spans WHERE spans.model = models.id)'),
    pageCount: p('PRAGMA page_count').pluck(),
    freelistCount: p('PRAGMA freelist_count').pluck(),
    pageSize: p('PRAGMA page_size').pluck(),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
