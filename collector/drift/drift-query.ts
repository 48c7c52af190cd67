import { instantHint, parseDurationMs, parseInstantMs } from '../../shared/units.js';
import type { TimeRange } from './window-data.js';

/**
 * Parameters of `GET /api/drift` (pure; the clock comes in):
 * - `model` (required), `version` (default: every version, merged);
 * - the current window: `window` (a duration ending at `end`, default 1h; `end` defaults to now)
 *   or `start` and `end` (epoch ms or RFC 3339);
 * - `reference`: `previous` (the window of the same length just before), `training` (the uploaded
 *   profile), `window:<start>/<end>`, or — with `slice` — `slice:<value>` (that slice of the current
 *   window, e.g. the stable version against which a canary is compared); absent: the model's
 *   stored reference (a pinned window or a training profile) if it has one, else `previous`;
 * - `slice`: a span attribute key (e.g. `ml.model.version`, `client.address`, `ml.input.country`)
 *   that splits the report per value;
 * - `exemplars`: request ids per drifted feature (0 to the configured maximum, default 3).
 */
export interface RawDriftQuery {
  model?: string;
  version?: string;
  window?: string;
  start?: string;
  end?: string;
  reference?: string;
  slice?: string;
  exemplars?: string;
  bins?: string;
}

type ReferenceSpec =
  | { kind: 'default' }
  | { kind: 'previous' }
  | { kind: 'training' }
  | { kind: 'window'; range: TimeRange }
  | { kind: 'slice'; value: string };

export interface DriftQuery {
  model: string;
  version?: string;
  range: TimeRange;
  reference: ReferenceSpec;
  slice?: string;
  exemplars: number;
  /** Moved bins per feature (largest change first); absent: the report options' default (3). */
  bins?: number;
  /** Report only this feature (the drift series of one feature); absent: every feature. */
  feature?: string;
}

export type DriftQueryResult = { ok: true; query: DriftQuery } | { ok: false; parameter: string; message: string };

const DEFAULT_WINDOW = '1h';
const DEFAULT_EXEMPLARS = 3;
export const DRIFT_PARAMETERS = [
  'model',
  'version',
  'window',
  'start',
  'end',
  'reference',
  'slice',
  'exemplars',
  'bins',
] as const;
/** Most bins a report lists per feature: enough for every bin of a histogram. */
const MAX_BINS = 100;
const TIME_HINT = instantHint();

function parseReference(text: string | undefined): { ok: true; spec: ReferenceSpec } | { ok: false; message: string } {
  if (text === undefined || text === '') return { ok: true, spec: { kind: 'default' } };
  if (text === 'previous' || text === 'training') return { ok: true, spec: { kind: text } };
  if (text.startsWith('slice:') && text.length > 6) return { ok: true, spec: { kind: 'slice', value: text.slice(6) } };
  if (text.startsWith('window:')) {
    const [a, b, ...rest] = text.slice(7).split('/');
    const start = a === undefined ? undefined : parseInstantMs(a);
    const end = b === undefined ? undefined : parseInstantMs(b);
    if (start === undefined || end === undefined || rest.length > 0) {
      return {
        ok: false,
        message: `reference window must be window:<start>/<end> with each ${TIME_HINT}, got "${text}"`,
      };
    }
    if (start >= end)
      return { ok: false, message: `reference window start (${start}) must be before its end (${end})` };
    return { ok: true, spec: { kind: 'window', range: { startMs: start, endMs: end } } };
  }
  return {
    ok: false,
    message: `reference must be previous, training, window:<start>/<end> or slice:<value>, got "${text}"`,
  };
}

export function parseDriftQuery(raw: RawDriftQuery, nowMs: number, maxExemplars: number): DriftQueryResult {
  const fail = (parameter: string, message: string): DriftQueryResult => ({ ok: false, parameter, message });
  if (raw.model === undefined || raw.model.trim() === '')
    return fail('model', 'model is required: the ml.model.name (or service name) to report on');
  const end = raw.end === undefined ? nowMs : parseInstantMs(raw.end);
  if (end === undefined) return fail('end', `end must be ${TIME_HINT}, got "${raw.end}"`);
  let start: number;
  if (raw.start !== undefined) {
    if (raw.window !== undefined) return fail('window', 'give either window or start (with end), not both');
    const s = parseInstantMs(raw.start);
    if (s === undefined) return fail('start', `start must be ${TIME_HINT}, got "${raw.start}"`);
    start = s;
  } else {
    const ms = parseDurationMs(raw.window ?? DEFAULT_WINDOW);
    if (ms === undefined || ms < 1)
      return fail('window', `window must be a duration such as 15m, 1h or 7d, got "${raw.window}"`);
    start = end - Math.round(ms);
  }
  if (start >= end) return fail('start', `start (${start}) must be before end (${end})`);

  const reference = parseReference(raw.reference);
  if (!reference.ok) return fail('reference', reference.message);
  if (raw.slice !== undefined && raw.slice.trim() === '') {
    return fail('slice', 'slice must name a span attribute, e.g. ml.model.version, client.address or ml.input.country');
  }
  if (reference.spec.kind === 'slice' && raw.slice === undefined) {
    return fail('reference', 'reference=slice:<value> compares slices with each other: give slice=<attribute key> too');
  }
  let exemplars = DEFAULT_EXEMPLARS;
  if (raw.exemplars !== undefined) {
    const n = Number(raw.exemplars);
    if (!/^\d+$/.test(raw.exemplars) || n > maxExemplars) {
      return fail('exemplars', `exemplars must be a whole number from 0 to ${maxExemplars}, got "${raw.exemplars}"`);
    }
    exemplars = n;
  }
  const query: DriftQuery = {
    model: raw.model,
    range: { startMs: start, endMs: end },
    reference: reference.spec,
    exemplars,
  };
  if (raw.bins !== undefined) {
    if (!/^\d+$/.test(raw.bins) || Number(raw.bins) > MAX_BINS) {
      return fail(
        'bins',
        `bins must be a whole number from 0 to ${MAX_BINS} (${MAX_BINS} lists every bin), got "${raw.bins}"`,
      );
    }
    query.bins = Number(raw.bins);
  }
  if (raw.version !== undefined) query.version = raw.version;
  if (raw.slice !== undefined) query.slice = raw.slice;
  return { ok: true, query };
}
