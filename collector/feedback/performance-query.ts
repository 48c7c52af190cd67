import { instantHint, parseDurationMs, parseInstantMs } from '../../shared/units.js';
import type { PerformanceRange } from './performance-report.js';

/**
 * Parameters of `GET /api/models/{model}/performance` (pure; the clock comes in):
 * - `window` (default 24h): the range ends at `end` (default now) and starts `window` before it;
 *   `start` overrides it;
 * - `step` (default window / 24): width of each point, epoch-aligned;
 * - `version`: only this model version (the answer is per version anyway);
 * - `slice`: a span attribute key (e.g. `ml.input.region`) splitting each version's series.
 */
export interface RawPerformanceQuery {
  version?: string;
  window?: string;
  step?: string;
  start?: string;
  end?: string;
  slice?: string;
}

interface PerformanceQuery {
  version?: string;
  slice?: string;
  range: PerformanceRange;
}

export type PerformanceQueryResult = { ok: true; query: PerformanceQuery } | { ok: false; message: string };

const MAX_PERFORMANCE_POINTS = 1000;
const DEFAULT_WINDOW = '24h';
const TIME_HINT = instantHint();

export function parsePerformanceQuery(raw: RawPerformanceQuery, nowMs: number): PerformanceQueryResult {
  const fail = (message: string): PerformanceQueryResult => ({ ok: false, message });
  const end = raw.end === undefined ? nowMs : parseInstantMs(raw.end);
  if (end === undefined) return fail(`end must be ${TIME_HINT}, got "${raw.end}"`);
  let start: number;
  if (raw.start !== undefined) {
    const s = parseInstantMs(raw.start);
    if (s === undefined) return fail(`start must be ${TIME_HINT}, got "${raw.start}"`);
    start = s;
  } else {
    const window = parseDurationMs(raw.window ?? DEFAULT_WINDOW);
    if (window === undefined || window <= 0)
      return fail(`window must be a duration such as 1h, 7d or 30d, got "${raw.window}"`);
    start = end - window;
  }
  if (start >= end) return fail(`start (${start}) must be before end (${end})`);
  let step: number;
  if (raw.step === undefined) {
    step = Math.max(1000, Math.ceil((end - start) / 24));
  } else {
    const ms = parseDurationMs(raw.step);
    if (ms === undefined || ms < 1) return fail(`step must be a duration such as 1h or 1d, got "${raw.step}"`);
    step = Math.round(ms);
  }
  const points = Math.ceil((end - start) / step) + 1;
  if (points > MAX_PERFORMANCE_POINTS) {
    return fail(
      `step ${raw.step} gives ${points} points per series, more than ${MAX_PERFORMANCE_POINTS}; use a coarser step or a shorter window`,
    );
  }
  const query: PerformanceQuery = { range: { startMs: start, endMs: end, stepMs: step } };
  if (raw.version !== undefined) query.version = raw.version;
  if (raw.slice !== undefined) {
    if (raw.slice.trim() === '')
      return fail('slice must name a span attribute such as ml.input.region or ml.model.version');
    query.slice = raw.slice;
  }
  return { ok: true, query };
}
