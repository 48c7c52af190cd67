import { Readable } from 'node:stream';
import { AppError } from '../../../shared/errors.js';
import { capturedCsv, jsonDocument, jsonLines, type ExportFormat } from '../export-formats.js';
import type { SubjectRights } from '../subject-rights.js';
import { inventoryRecords, type InventoryRecord } from '../subject-inventory.js';
import type { SubjectRoute } from '../subject-route.js';
import { bodyObject, subjectText } from '../subject-route.js';
import { controlsOf } from './audited.js';

/**
 * Access (Art. 15) and portability (Art. 20): `POST /api/subjects/export` with `{"subject",
 * "format"?}` streams everything held about the subject — `json` (default): one document;
 * `jsonl`: one record a line; `csv`: captured inputs, predictions and labels. The request is in
 * the audit log with the count of each kind once the stream has ended.
 */
const TYPES: Record<ExportFormat, string> = {
  json: 'application/json; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};
const WRITERS = { json: jsonDocument, jsonl: jsonLines, csv: capturedCsv };

function formatOf(v: unknown): ExportFormat {
  if (v === undefined) return 'json';
  if (v === 'json' || v === 'jsonl' || v === 'csv') return v;
  throw new AppError('invalid_parameter', '"format" must be json, jsonl or csv');
}

/** The records, counted by kind; the audit request is finished when they run out (or fail). */
async function* audited(
  rights: SubjectRights,
  id: string,
  records: AsyncGenerator<InventoryRecord>,
): AsyncGenerator<InventoryRecord> {
  const counts: Record<string, number> = {};
  let outcome: { result: Record<string, unknown>; status: 'done' | 'failed' } = {
    result: { error: 'aborted' }, // the client went away before the end: the stream was closed early
    status: 'failed',
  };
  try {
    for await (const r of records) {
      counts[r.type] = (counts[r.type] ?? 0) + 1;
      yield r;
    }
    delete counts['subject'];
    outcome = { result: { exported: true }, status: 'done' };
  } catch (error) {
    outcome = { result: { error: error instanceof AppError ? error.code : 'internal' }, status: 'failed' };
    throw error;
  } finally {
    rights.requests.finish(id, counts, outcome.result, outcome.status);
  }
}

export const exportRoutes: readonly SubjectRoute[] = [
  {
    method: 'POST',
    url: '/api/subjects/export',
    async handle(request, { rights, token }, reply) {
      const body = bodyObject(request);
      const ref = rights.resolve(subjectText(body));
      const format = formatOf(body['format']);
      const c = controlsOf(rights);
      const id = rights.requests.start('export', ref.pseudonyms, token, { format });
      const records = inventoryRecords(
        {
          db: rights.sqlite.db,
          stored: rights.sqlite.rows,
          feedback: c.feedback,
          alerts: c.alerts,
          references: c.references,
          restrictions: c.restrictions,
          driftBucketMs: c.drift.settings.bucketWidthMs,
          clock: rights.clock,
        },
        ref.pseudonyms,
      );
      reply.header('content-type', TYPES[format]).header('x-subject-request', id);
      return Readable.from(WRITERS[format](audited(rights, id, records)));
    },
  },
];
