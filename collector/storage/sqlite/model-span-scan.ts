import type Database from 'better-sqlite3';
import type { Attributes } from '../../../shared/span-record.js';
import type { ModelSpan, ModelSpanQuery, ScanResult } from '../span-store.js';
import { blobToHex, decodeBody } from './row-codec.js';
import { BUCKET_SHIFT } from './schema-v1.js';

/**
 * SpanReader.scanModelSpans on the span tables (schema-v1.ts), read-only: the model's ids
 * from `models` (one per version), then `spans_by_model (model, bucket)` for each, newest start-time
 * bucket (~1 s) first; spans without `ml.model.name` are found by `spans_by_service` when the
 * service has the model's name. Only SERVER spans (kind 2). The small name
 * tables are loaded before each scan, so the iteration runs no other statement.
 */
interface ScanRow {
  trace_id: Uint8Array;
  start_ns: bigint;
  service: bigint;
  source: bigint;
  body: string;
}

export type ModelSpanScan = (
  query: ModelSpanQuery,
  limit: number,
  visit: (span: ModelSpan) => boolean | void,
) => ScanResult;

export function createModelSpanScan(db: Database.Database): ModelSpanScan {
  const models = db.prepare('SELECT id FROM models WHERE name = ? ORDER BY version DESC').pluck();
  const modelVersion = db.prepare('SELECT id FROM models WHERE name = ? AND version = ?').pluck();
  const serviceId = db.prepare('SELECT id FROM services WHERE name = ?').pluck();
  const services = db.prepare('SELECT id, name FROM services');
  const sources = db.prepare('SELECT id, resource FROM sources');
  const columns = 'SELECT trace_id, start_ns, service, source, body FROM spans';
  const window = 'bucket >= ? AND bucket <= ? AND start_ns >= ? AND start_ns < ? AND kind = 2';
  const byModel = db
    .prepare(
      `${columns} INDEXED BY spans_by_model WHERE model = ? AND ${window}
    ORDER BY bucket DESC`,
    )
    .safeIntegers(true);
  const byService = db
    .prepare(
      `${columns} INDEXED BY spans_by_service WHERE service = ? AND ${window}
    AND model IS NULL ORDER BY bucket DESC`,
    )
    .safeIntegers(true);

  return (q, limit, visit) => {
    const ids = (q.version === undefined ? models.all(q.model) : modelVersion.all(q.model, q.version)) as number[];
    const plans: { stmt: Database.Statement; id: number }[] = ids.map((id) => ({ stmt: byModel, id }));
    const service = serviceId.get(q.model) as number | undefined;
    if (service !== undefined && (q.version === undefined || q.version === ''))
      plans.push({ stmt: byService, id: service });
    if (plans.length === 0) return { visited: 0, complete: true };

    const serviceNames = new Map((services.all() as { id: number; name: string }[]).map((r) => [r.id, r.name]));
    const resourceText = new Map((sources.all() as { id: number; resource: string }[]).map((r) => [r.id, r.resource]));
    const resources = new Map<number, Attributes>();
    const resourceOf = (id: number): Attributes => {
      let r = resources.get(id);
      if (r === undefined) {
        r = JSON.parse(resourceText.get(id) ?? '{}') as Attributes;
        resources.set(id, r);
      }
      return r;
    };

    const firstBucket = q.startNano >> BUCKET_SHIFT;
    const lastBucket = (q.endNano - 1n) >> BUCKET_SHIFT;
    let visited = 0;
    for (const plan of plans) {
      const rows = plan.stmt.iterate(
        plan.id,
        firstBucket,
        lastBucket,
        q.startNano,
        q.endNano,
      ) as IterableIterator<ScanRow>;
      for (const row of rows) {
        if (visited >= limit) return { visited, complete: false };
        visited += 1;
        const span: ModelSpan = {
          traceId: blobToHex(row.trace_id),
          startNano: row.start_ns,
          serviceName: serviceNames.get(Number(row.service)) ?? 'unknown_service',
          attributes: decodeBody(row.body, row.start_ns).attributes,
          resource: resourceOf(Number(row.source)),
        };
        // Leaving the loop early ends the iterator, which resets the statement.
        if (visit(span) === false) return { visited, complete: false };
      }
    }
    return { visited, complete: true };
  };
}
