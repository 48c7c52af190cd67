import type { TraceQuery } from '../storage/span-store.js';
import { normaliseTraceId } from '../../shared/ids.js';
import { NANOS_PER_MICRO, NANOS_PER_MILLI } from '../../shared/time.js';
import { badParameter } from '../query/compat-errors.js';
import { parseGoDuration, parseLookback } from './go-duration.js';

/**
 * Reads the query string of Jaeger's `GET /api/traces` (as the Jaeger UI and Grafana send it) into a
 * TraceQuery, with Jaeger's defaults and its error messages:
 * service, operation, tag=k:v (repeatable), tags={"k":"v"}, start and end (epoch µs), lookback
 * (used when start is absent), minDuration/maxDuration (Go durations), limit, traceID (repeatable).
 */
export type QueryValues = Record<string, string | string[] | undefined>;

const JAEGER_DEFAULT_LIMIT = 100;
/** Jaeger's default search window when the request names no start (two days). */
const JAEGER_DEFAULT_LOOKBACK_NANO = 2n * 86_400_000_000_000n;

export type JaegerSearch = { kind: 'ids'; traceIds: string[] } | { kind: 'query'; query: TraceQuery };

function all(values: QueryValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The first value, as Go's FormValue reads it; undefined when absent or empty. */
export function first(values: QueryValues, name: string): string | undefined {
  const v = all(values, name)[0];
  return v === undefined || v === '' ? undefined : v;
}

function integer(values: QueryValues, name: string): number | undefined {
  const text = first(values, name);
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw badParameter(`unable to parse param '${name}': "${text}" is not a whole number`);
  return Number(text);
}

function duration(values: QueryValues, name: string): bigint | undefined {
  const text = first(values, name);
  if (text === undefined) return undefined;
  const ns = parseGoDuration(text);
  if (ns === undefined) {
    throw badParameter(`unable to parse param '${name}': "${text}" is not a duration such as 100ms, 1.5s or 2m`);
  }
  return ns;
}

/** `tag=k:v` pairs and `tags` JSON maps, merged (JSON last, as Jaeger does). */
function parseJaegerTags(values: QueryValues): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of all(values, 'tag')) {
    const at = tag.indexOf(':');
    if (at < 0) throw badParameter(`malformed 'tag' parameter, expecting key:value, received: ${tag}`);
    tags[tag.slice(0, at)] = tag.slice(at + 1);
  }
  for (const text of all(values, 'tags')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw badParameter(`malformed 'tags' parameter, cannot unmarshal JSON: ${(err as Error).message}`, err);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badParameter(`malformed 'tags' parameter, expecting a JSON object such as {"ml.model.name":"iris"}`);
    }
    for (const [k, v] of Object.entries(parsed)) {
      if (typeof v !== 'string') throw badParameter(`malformed 'tags' parameter: the value of "${k}" must be a string`);
      tags[k] = v;
    }
  }
  return tags;
}

export function parseJaegerSearch(values: QueryValues, nowNano: bigint): JaegerSearch {
  const traceIds = all(values, 'traceID').map((id) => {
    const norm = normaliseTraceId(id);
    if (norm === undefined) throw badParameter(`cannot parse traceID param: "${id}" is not 1-32 hex digits`);
    return norm;
  });
  const service = first(values, 'service');
  const tags = parseJaegerTags(values);
  const limit = integer(values, 'limit');
  if (limit !== undefined && limit < 0) throw badParameter(`unable to parse param 'limit': must not be negative`);
  const minDurationNano = duration(values, 'minDuration');
  const maxDurationNano = duration(values, 'maxDuration');
  const end = integer(values, 'end');
  const start = integer(values, 'start');
  if (traceIds.length > 0) return { kind: 'ids', traceIds };
  if (service === undefined) throw badParameter(`parameter 'service' is required`);
  if (
    minDurationNano !== undefined &&
    maxDurationNano !== undefined &&
    minDurationNano > 0n &&
    maxDurationNano > 0n &&
    maxDurationNano < minDurationNano
  ) {
    throw badParameter(`'maxDuration' should be greater than 'minDuration'`);
  }
  const endNano = end === undefined ? nowNano : BigInt(end) * NANOS_PER_MICRO;
  const lookbackText = first(values, 'lookback');
  const lookback = lookbackText === undefined ? undefined : parseLookback(lookbackText);
  const startNano =
    start !== undefined ? BigInt(start) * NANOS_PER_MICRO : endNano - (lookback ?? JAEGER_DEFAULT_LOOKBACK_NANO);
  const query: TraceQuery = {
    service,
    startNano,
    endNano,
    limit: limit === undefined || limit === 0 ? JAEGER_DEFAULT_LIMIT : limit,
  };
  const operation = first(values, 'operation');
  if (operation !== undefined) query.operation = operation;
  if (minDurationNano !== undefined && minDurationNano > 0n) query.minDurationNano = minDurationNano;
  if (maxDurationNano !== undefined && maxDurationNano > 0n) query.maxDurationNano = maxDurationNano;
  // Jaeger's `error` tag and otel.status_code are made from the span status, not stored attributes.
  if (tags.error !== undefined) {
    query.error = tags.error === 'true';
    delete tags.error;
  }
  if (tags['otel.status_code'] === 'ERROR') {
    query.error = true;
    delete tags['otel.status_code'];
  }
  if (Object.keys(tags).length > 0) query.tags = tags;
  return { kind: 'query', query };
}

/** Jaeger's dependency window: endTs (epoch ms, default now) and lookback (ms, default 24 h). */
export function parseDependencyWindow(values: QueryValues, nowNano: bigint): { startNano: bigint; endNano: bigint } {
  const endTs = integer(values, 'endTs');
  const lookback = integer(values, 'lookback');
  if (lookback !== undefined && lookback <= 0) throw badParameter(`unable to parse param 'lookback': must be positive`);
  const endNano = endTs === undefined ? nowNano : BigInt(endTs) * NANOS_PER_MILLI;
  return { startNano: endNano - BigInt(lookback ?? 86_400_000) * NANOS_PER_MILLI, endNano };
}
