import { AppError } from '../../shared/errors.js';
import { parseDurationMs } from '../../shared/time.js';
import type { TraceQuery } from '../storage/span-store.js';

/**
 * `GET /api/traces?...` query strings → a storage TraceQuery. Pure: text in, query out, or an
 * AppError (invalid_parameter, 400) whose message names the parameter, shows what was given and
 * what is expected. Empty values (`service=`, as forms send them) mean "not given".
 */
export interface SearchQueryString {
  service?: string;
  operation?: string;
  model?: string;
  version?: string;
  minDuration?: string;
  maxDuration?: string;
  start?: string;
  end?: string;
  /** `key:value`; may repeat. */
  tag?: string | string[];
  error?: string;
  limit?: string;
}

export const SEARCH_PARAMETERS = [
  'service', 'operation', 'model', 'version', 'minDuration', 'maxDuration', 'start', 'end', 'tag', 'error', 'limit',
] as const satisfies readonly (keyof SearchQueryString)[];

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 1000;

export function parseSearch(q: SearchQueryString): TraceQuery {
  const query: TraceQuery = { limit: parseLimit(given(q.limit)) };
  for (const key of ['service', 'operation', 'model', 'version'] as const) {
    const v = given(q[key]);
    if (v !== undefined) query[key] = v;
  }
  const min = durationNano('minDuration', given(q.minDuration));
  const max = durationNano('maxDuration', given(q.maxDuration));
  if (min !== undefined) query.minDurationNano = min;
  if (max !== undefined) query.maxDurationNano = max;
  if (min !== undefined && max !== undefined && min > max) {
    throw invalid(`query parameter "minDuration" (${q.minDuration}) must not exceed "maxDuration" (${q.maxDuration})`);
  }
  const start = timeNano('start', given(q.start));
  const end = timeNano('end', given(q.end));
  if (start !== undefined) query.startNano = start;
  if (end !== undefined) query.endNano = end;
  if (start !== undefined && end !== undefined && start > end) {
    throw invalid(`query parameter "start" (${q.start}) must not be later than "end" (${q.end})`);
  }
  const tags = parseTags(q.tag);
  if (tags !== undefined) query.tags = tags;
  const error = given(q.error);
  if (error !== undefined) query.error = parseBoolean(error);
  return query;
}

/**
 * A point in time as nanoseconds since the epoch: epoch milliseconds (digits only) or ISO 8601
 * (`2024-05-01`, `2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.250+02:00`; without a zone, UTC).
 */
export function parseTimeNano(text: string): bigint | undefined {
  if (/^\d{1,14}$/.test(text)) return BigInt(text) * 1_000_000n;
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(text);
  if (!iso) return undefined;
  const [, date, time, zone] = iso;
  const ms = Date.parse(`${date}T${time ?? '00:00'}${zone ?? 'Z'}`);
  if (Number.isNaN(ms) || !isCalendarDate(date as string)) return undefined;
  return BigInt(ms) * 1_000_000n;
}

// Date.parse rolls 2024-02-31 over into March; such a date is a mistake, not a time.
function isCalendarDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}

function given(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) throw invalid(`query parameter "limit" must be a whole number from 1 to ${MAX_LIMIT}, got "${text}"`);
  return n;
}

function durationNano(name: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    throw invalid(`query parameter "${name}" must be a duration such as 250ms, 1.5s, 2m or 100us (a bare number is milliseconds), got "${text}"`);
  }
  return BigInt(Math.round(ms * 1e6));
}

function timeNano(name: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const ns = parseTimeNano(text);
  if (ns !== undefined) return ns;
  const hint = /^\d{15,}$/.test(text) ? ' (that looks like micro- or nanoseconds; give milliseconds)' : '';
  throw invalid(
    `query parameter "${name}" must be epoch milliseconds or an ISO 8601 time such as 2024-05-01T12:00:00Z, got "${text}"${hint}`,
  );
}

function parseTags(raw: string | string[] | undefined): Record<string, string> | undefined {
  const list = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).filter((t) => t.trim() !== '');
  if (list.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const tag of list) {
    const at = tag.indexOf(':');
    const key = at < 0 ? '' : tag.slice(0, at).trim();
    if (key === '') throw invalid(`query parameter "tag" must be key:value (e.g. tag=http.response.status_code:500), got "${tag}"`);
    const value = tag.slice(at + 1);
    const seen = tags[key];
    if (seen !== undefined && seen !== value) {
      throw invalid(`query parameter "tag" names "${key}" twice with different values ("${seen}", "${value}"); no span can match both`);
    }
    tags[key] = value;
  }
  return tags;
}

function parseBoolean(text: string): boolean {
  const t = text.toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  throw invalid(`query parameter "error" must be true or false, got "${text}"`);
}

function invalid(message: string): AppError {
  return new AppError('invalid_parameter', message);
}
