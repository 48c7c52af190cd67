import { AppError } from '../../shared/errors.js';
import { instantHint, parseDurationMs, parseInstantMs } from '../../shared/units.js';
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
  'service',
  'operation',
  'model',
  'version',
  'minDuration',
  'maxDuration',
  'start',
  'end',
  'tag',
  'error',
  'limit',
] as const satisfies readonly (keyof SearchQueryString)[];

export const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

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

function given(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMIT;
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_LIMIT))
    throw invalid(`query parameter "limit" must be a whole number from 1 to ${MAX_LIMIT}, got "${text}"`);
  return n;
}

function durationNano(name: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const ms = parseDurationMs(text);
  if (ms === undefined) {
    throw invalid(
      `query parameter "${name}" must be a duration such as 250ms, 1.5s, 2m or 100us (a bare number is milliseconds), got "${text}"`,
    );
  }
  return BigInt(Math.round(ms * 1e6));
}

function timeNano(name: string, text: string | undefined): bigint | undefined {
  if (text === undefined) return undefined;
  const ms = parseInstantMs(text);
  if (ms !== undefined) return BigInt(ms) * 1_000_000n;
  throw invalid(`query parameter "${name}" must be ${instantHint(text)}, got "${text}"`);
}

function parseTags(raw: string | string[] | undefined): Record<string, string> | undefined {
  const list = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).filter((t) => t.trim() !== '');
  if (list.length === 0) return undefined;
  const tags: Record<string, string> = {};
  for (const tag of list) {
    const at = tag.indexOf(':');
    const key = at < 0 ? '' : tag.slice(0, at).trim();
    if (key === '')
      throw invalid(`query parameter "tag" must be key:value (e.g. tag=http.response.status_code:500), got "${tag}"`);
    const value = tag.slice(at + 1);
    const seen = tags[key];
    if (seen !== undefined && seen !== value) {
      throw invalid(
        `query parameter "tag" names "${key}" twice with different values ("${seen}", "${value}"); no span can match both`,
      );
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
