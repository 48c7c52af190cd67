import type Database from 'better-sqlite3';
import type { SpanRecord } from '../../../shared/span-record.js';
import { compareSummaries } from '../ordering.js';
import { attributeText } from '../span-match.js';
import type { TraceQuery, TraceSummary } from '../span-store.js';
import { summarizeTrace, summaryMatchesError } from '../trace-summary.js';
import type { NameTables } from './name-tables.js';
import { decodeBody } from './row-codec.js';

/**
 * findTraces for the SQLite store. Spans are walked newest first along one or more index streams
 * (per operation, per service, per model, the error spans, or every service), merged by start time;
 * cheap conditions are in the SQL, tags are checked on the decoded row. Each new trace met is loaded
 * and summarised, and the trace-level `error` condition judged, until `limit` traces are found or
 * `maxExaminedSpans` spans were looked at.
 */
export interface SearchOptions {
  /** Bound on the work of one search, so a rare match over millions of spans answers in time. */
  maxExaminedSpans?: number;
}

interface Stream {
  index: string;
  /** The indexed column compared to `key`; absent for the error stream. */
  column?: 'op' | 'service' | 'model';
  key?: number;
}

interface CandidateRow {
  id: bigint;
  trace: bigint;
  start_ns: bigint;
  source: bigint;
  body?: string;
}

const MAX_I64 = 9223372036854775807n;

export function createTraceSearch(
  db: Database.Database,
  names: NameTables,
  loadTrace: (seq: number) => SpanRecord[],
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
    names.reload();
    const plan = planStreams(q, names);
    if (plan === undefined) return [];
    const { streams, where, params } = plan;
    const withBody = q.tags !== undefined && Object.keys(q.tags).length > 0;

    const heads = streams.map((s) => {
      const conds = [...where];
      if (s.column !== undefined) conds.push(`${s.column} = ${s.key ?? 0}`);
      if (s.index === 'spans_by_error') conds.push('status = 2');
      conds.push('(start_ns, id) < (@lastStart, @lastId)');
      const sql = `SELECT id, trace, start_ns, source${withBody ? ', body' : ''} FROM spans INDEXED BY ${s.index}
        WHERE ${conds.join(' AND ')} ORDER BY start_ns DESC, id DESC LIMIT @page`;
      return { stmt: prepare(sql), rows: [] as CandidateRow[], pos: 0, done: false, lastStart: MAX_I64, lastId: MAX_I64, page: 64 };
    });
    type Head = (typeof heads)[number];
    const current = (h: Head): CandidateRow | undefined => {
      if (h.pos >= h.rows.length && !h.done) {
        h.rows = h.stmt.all({ ...params, lastStart: h.lastStart, lastId: h.lastId, page: h.page }) as CandidateRow[];
        h.pos = 0;
        h.done = h.rows.length < h.page;
        h.page = Math.min(h.page * 4, 4096);
        const last = h.rows[h.rows.length - 1];
        if (last !== undefined) {
          h.lastStart = last.start_ns;
          h.lastId = last.id;
        }
      }
      return h.rows[h.pos];
    };

    const seen = new Set<bigint>();
    const found: TraceSummary[] = [];
    for (let examined = 0; examined < maxExamined && found.length < q.limit; examined++) {
      let best: Head | undefined;
      let bestRow: CandidateRow | undefined;
      for (const h of heads) {
        const row = current(h);
        if (row === undefined) continue;
        if (bestRow === undefined || row.start_ns > bestRow.start_ns || (row.start_ns === bestRow.start_ns && row.id > bestRow.id)) {
          best = h;
          bestRow = row;
        }
      }
      if (best === undefined || bestRow === undefined) break;
      best.pos++;
      if (seen.has(bestRow.trace) || !tagsMatch(bestRow, q.tags, names)) continue;
      seen.add(bestRow.trace);
      const summary = summarizeTrace(loadTrace(Number(bestRow.trace)));
      if (summary !== undefined && summaryMatchesError(summary, q.error)) found.push(summary);
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
function planStreams(q: TraceQuery, names: NameTables): { streams: Stream[]; where: string[]; params: Record<string, bigint> } | undefined {
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

  const serviceIds = [...names.services].filter(([, n]) => q.service === undefined || n === q.service).map(([id]) => id);
  if (serviceIds.length === 0) return undefined;
  if (q.service !== undefined) where.push(`service IN (${serviceIds.join(',')})`);

  let opIds: number[] | undefined;
  if (q.operation !== undefined) {
    opIds = [...names.ops.values()].filter((o) => o.name === q.operation && serviceIds.includes(o.service)).map((o) => o.id);
    if (opIds.length === 0) return undefined;
  }
  let modelIds: number[] | undefined;
  if (q.model !== undefined || q.version !== undefined) {
    modelIds = [...names.models.values()]
      .filter((m) => (q.model === undefined || m.name === q.model) && (q.version === undefined || m.version === q.version))
      .map((m) => m.id);
    if (modelIds.length === 0) return undefined;
    where.push(`model IN (${modelIds.join(',')})`);
  }

  let streams: Stream[];
  if (opIds !== undefined) streams = opIds.map((key) => ({ index: 'spans_by_op', column: 'op', key }));
  else if (q.service !== undefined) streams = serviceIds.map((key) => ({ index: 'spans_by_service', column: 'service', key }));
  else if (modelIds !== undefined) streams = modelIds.map((key) => ({ index: 'spans_by_model', column: 'model', key }));
  else if (q.error === true && where.length === 0 && (q.tags === undefined || Object.keys(q.tags).length === 0)) {
    streams = [{ index: 'spans_by_error' }];
  } else streams = serviceIds.map((key) => ({ index: 'spans_by_service', column: 'service', key }));
  return { streams, where, params };
}
