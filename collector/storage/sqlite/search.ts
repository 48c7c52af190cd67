import type Database from 'better-sqlite3';
import type { SpanRecord } from '../../../shared/span-record.js';
import { compareSummaries } from '../ordering.js';
import { attributeText } from '../span-match.js';
import type { TraceQuery, TraceSummary } from '../span-store.js';
import { summarizeTrace, summaryMatchesError } from '../trace-summary.js';
import type { NameTables } from './name-tables.js';
import { blobToHex, decodeBody } from './row-codec.js';
import { BUCKET_SHIFT } from './schema-v1.js';

/**
 * findTraces for the SQLite store. Spans are walked newest first, one start-time bucket (~1 s) at
 * a time, along one or more index streams (per service, per model, the error spans, or every
 * service); inside a bucket the rows are ordered by exact start time. Cheap conditions are
 * in the SQL, tags are checked on the decoded row. Each new trace met is loaded and summarised and
 * the trace-level `error` condition judged, until `limit` traces are found or `maxExaminedSpans`
 * spans were looked at.
 */
export interface SearchOptions {
  /** Bound on the work of one search, so a rare match over millions of spans answers in time. */
  maxExaminedSpans?: number;
}

interface Stream {
  index: 'spans_by_service' | 'spans_by_model' | 'spans_by_error';
  /** `column = key`, or for the error stream `status = 2`. */
  condition: string;
}

interface CandidateRow {
  id: bigint;
  trace_id: Uint8Array;
  start_ns: bigint;
  source: bigint;
  body?: string;
}

const NO_BUCKET = -(2n ** 62n);

export function createTraceSearch(
  db: Database.Database,
  names: NameTables,
  loadTrace: (traceId: string) => SpanRecord[],
  options: SearchOptions = {},
): (q: TraceQuery) => TraceSummary[] {
  const maxExamined = options.maxExaminedSpans ?? 200_000;
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string): Database.Statement => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      if (cache.size >= 256) cache.clear();
      stmt = db.prepare(sql).safeIntegers(true);
      cache.set(sql, stmt);
    }
    return stmt;
  };

  return (q) => {
    if (q.limit <= 0) return [];
    names.refresh();
    const plan = planStreams(q, names);
    if (plan === undefined) return [];
    const withBody = q.tags !== undefined && Object.keys(q.tags).length > 0;
    const filters = plan.where.length > 0 ? ` AND ${plan.where.join(' AND ')}` : '';
    const streams = plan.streams.map((s) => ({
      below: prepare(`SELECT bucket FROM spans INDEXED BY ${s.index} WHERE ${s.condition} AND bucket < @below
        ORDER BY bucket DESC LIMIT 1`),
      rows: prepare(`SELECT id, trace_id, start_ns, source${withBody ? ', body' : ''} FROM spans INDEXED BY ${s.index}
        WHERE ${s.condition} AND bucket = @bucket${filters}`),
      next: NO_BUCKET,
    }));
    const minBucket = q.startNano === undefined ? NO_BUCKET : q.startNano >> BUCKET_SHIFT;
    const advance = (s: (typeof streams)[number], below: bigint): void => {
      const b = s.below.get({ below }) as { bucket: bigint } | undefined;
      s.next = b === undefined || b.bucket < minBucket ? NO_BUCKET : b.bucket;
    };
    const top = q.endNano === undefined ? 2n ** 62n : (q.endNano >> BUCKET_SHIFT) + 1n;
    for (const s of streams) advance(s, top);

    const seen = new Set<string>();
    const found: TraceSummary[] = [];
    let examined = 0;
    while (found.length < q.limit && examined < maxExamined) {
      const bucket = streams.reduce((max, s) => (s.next > max ? s.next : max), NO_BUCKET);
      if (bucket === NO_BUCKET) break;
      const rows: CandidateRow[] = [];
      for (const s of streams) {
        if (s.next !== bucket) continue;
        rows.push(...(s.rows.all({ ...plan.params, bucket }) as CandidateRow[]));
        advance(s, bucket);
      }
      rows.sort((a, b) => (a.start_ns !== b.start_ns ? (a.start_ns > b.start_ns ? -1 : 1) : a.id > b.id ? -1 : 1));
      for (const row of rows) {
        if (found.length >= q.limit || examined >= maxExamined) break;
        examined++;
        const traceId = blobToHex(row.trace_id);
        if (seen.has(traceId) || !tagsMatch(row, q.tags, names)) continue;
        seen.add(traceId);
        const summary = summarizeTrace(loadTrace(traceId));
        if (summary !== undefined && summaryMatchesError(summary, q.error)) found.push(summary);
      }
    }
    return found.sort(compareSummaries);
  };
}

function tagsMatch(row: CandidateRow, tags: Record<string, string> | undefined, names: NameTables): boolean {
  if (tags === undefined || row.body === undefined) return true;
  const attributes = decodeBody(row.body, row.start_ns).attributes;
  const resource = names.source(Number(row.source))?.resource ?? {};
  for (const [key, want] of Object.entries(tags)) {
    if (attributeText(attributes[key]) !== want && attributeText(resource[key]) !== want) return false;
  }
  return true;
}

/** Picks the index streams and the SQL conditions; undefined when the query cannot match anything. */
function planStreams(
  q: TraceQuery,
  names: NameTables,
): { streams: Stream[]; where: string[]; params: Record<string, bigint> } | undefined {
  const where: string[] = [];
  const params: Record<string, bigint> = {};
  const bound = (column: string, op: string, name: string, value: bigint | undefined): void => {
    if (value === undefined) return;
    where.push(`${column} ${op} @${name}`);
    params[name] = value;
  };
  bound('start_ns', '>=', 'startMin', q.startNano);
  bound('start_ns', '<=', 'startMax', q.endNano);
  bound('duration_ns', '>=', 'durMin', q.minDurationNano);
  bound('duration_ns', '<=', 'durMax', q.maxDurationNano);

  // Ids come from our own tables: integers, safe to write into the SQL.
  const serviceIds = [...names.services]
    .filter(([, n]) => q.service === undefined || n === q.service)
    .map(([id]) => id);
  if (serviceIds.length === 0) return undefined;
  if (q.service !== undefined) where.push(`service IN (${serviceIds.join(',')})`);

  let services = serviceIds;
  if (q.operation !== undefined) {
    const ops = [...names.ops.values()].filter((o) => o.name === q.operation && serviceIds.includes(o.service));
    if (ops.length === 0) return undefined;
    services = [...new Set(ops.map((o) => o.service))];
    where.push(`op IN (${ops.map((o) => o.id).join(',')})`);
  }
  let modelIds: number[] | undefined;
  if (q.model !== undefined || q.version !== undefined) {
    modelIds = [...names.models.values()]
      .filter(
        (m) => (q.model === undefined || m.name === q.model) && (q.version === undefined || m.version === q.version),
      )
      .map((m) => m.id);
    if (modelIds.length === 0) return undefined;
    where.push(`model IN (${modelIds.join(',')})`);
  }

  const spanLevel = where.length > 0 || (q.tags !== undefined && Object.keys(q.tags).length > 0);
  const byService = (): Stream[] => services.map((id) => ({ index: 'spans_by_service', condition: `service = ${id}` }));
  let streams: Stream[];
  if (q.service !== undefined || q.operation !== undefined) streams = byService();
  else if (modelIds !== undefined)
    streams = modelIds.map((id) => ({ index: 'spans_by_model', condition: `model = ${id}` }));
  else if (q.error === true && !spanLevel) streams = [{ index: 'spans_by_error', condition: 'status = 2' }];
  else streams = byService();
  return { streams, where, params };
}
