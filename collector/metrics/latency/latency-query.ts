import { instantHint, parseDurationMs, parseInstantMs } from '../../../shared/units.js';
import type { SeriesFilter } from './series-key.js';
import type { StepRange } from './step-series.js';

/**
 * Parses and checks the parameters of `GET /api/metrics/latency`. Pure: the current time and the
 * bucket width come in as arguments. A problem names the parameter and says what would be accepted.
 */
export interface RawLatencyQuery {
  service?: string;
  operation?: string;
  model?: string;
  version?: string;
  start?: string;
  end?: string;
  step?: string;
}

interface LatencyQuery {
  filter: SeriesFilter;
  range: StepRange;
}

export type LatencyQueryResult = { ok: true; query: LatencyQuery } | { ok: false; parameter: string; message: string };

/** Like Prometheus' range queries: more points than this is a mistake, not a chart. */
export const MAX_POINTS = 11_000;
export const DEFAULT_RANGE_MS = 3_600_000;

const TIME_HINT = instantHint();

export function parseLatencyQuery(raw: RawLatencyQuery, nowMs: number, bucketWidthMs: number): LatencyQueryResult {
  const fail = (parameter: string, message: string): LatencyQueryResult => ({ ok: false, parameter, message });

  const end = raw.end === undefined ? nowMs : parseInstantMs(raw.end);
  if (end === undefined) return fail('end', `end must be ${TIME_HINT}, got "${raw.end}"`);
  const start = raw.start === undefined ? end - DEFAULT_RANGE_MS : parseInstantMs(raw.start);
  if (start === undefined) return fail('start', `start must be ${TIME_HINT}, got "${raw.start}"`);
  if (start >= end) return fail('start', `start (${start}) must be before end (${end})`);

  let step: number;
  if (raw.step === undefined) {
    // The finest step that keeps the answer within MAX_POINTS.
    const minimum = (end - start) / MAX_POINTS;
    step = Math.max(1, Math.ceil(minimum / bucketWidthMs)) * bucketWidthMs;
  } else {
    const ms = parseDurationMs(raw.step);
    if (ms === undefined || ms <= 0) {
      return fail('step', `step must be a duration such as 1m, 5m or 1h (or milliseconds), got "${raw.step}"`);
    }
    if (ms % bucketWidthMs !== 0) {
      return fail('step', `step must be a whole multiple of the bucket width (${bucketWidthMs} ms), got ${ms} ms`);
    }
    if ((end - start) / ms > MAX_POINTS) {
      const points = `more than ${MAX_POINTS} points between start and end`;
      return fail('step', `step ${raw.step} gives ${points}; use a coarser step`);
    }
    step = ms;
  }

  const filter: SeriesFilter = {};
  for (const field of ['service', 'operation', 'model', 'version'] as const) {
    const v = raw[field];
    if (v !== undefined) filter[field] = v;
  }
  return { ok: true, query: { filter, range: { startMs: start, endMs: end, stepMs: step } } };
}
