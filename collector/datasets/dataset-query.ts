import { instantHint, parseDurationMs, parseInstantMs } from '../../shared/units.js';

/**
 * The parameters of a dataset (`GET /api/datasets/{model}`, its manifest, `infertrace dataset
 * export`, an alert rule's `dataset`), pure: the clock comes in.
 * - range: `window` (a duration ending at `end`, default 24h; `end` defaults to now) or `start` and
 *   `end` (epoch ms or RFC 3339), by the time the call started;
 * - `version`: only this `ml.model.version`;
 * - `slice`: `key=value`, repeatable — only rows whose span attribute (or resource attribute, or the
 *   row's own element of a batch feature) has that value, compared as text;
 * - `labeled`: `include` (default; label column, empty when no label joined), `only` (rows with a
 *   label), `none` (no label column);
 * - `drift`: `keep` (default), `drop` (rows of windows whose dataset drift was detected) or `mark`
 *   (a `drifted` column); `drift_window` (default 1h) and `reference` as in `/api/drift/series`;
 * - `since=last-drift-resolved`: start no earlier than when the model's latest drift alert resolved;
 * - `format`: `csv` (default), `jsonl` or `parquet`.
 */
export const DATASET_PARAMETERS = [
  'version',
  'window',
  'start',
  'end',
  'slice',
  'labeled',
  'drift',
  'drift_window',
  'reference',
  'since',
  'format',
] as const;

export type RawDatasetQuery = Partial<Record<(typeof DATASET_PARAMETERS)[number], string | string[]>>;

export const FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type DatasetFormat = (typeof FORMATS)[number];
const LABELED = ['include', 'only', 'none'] as const;
type Labeled = (typeof LABELED)[number];
const DRIFT = ['keep', 'drop', 'mark'] as const;
type DriftSelection = (typeof DRIFT)[number];
const SINCE_LAST_DRIFT_RESOLVED = 'last-drift-resolved';

export interface DatasetQuery {
  model: string;
  version?: string;
  /** [startMs, endMs) by span start. */
  range: { startMs: number; endMs: number };
  /** Every pair must hold for a row. */
  slices: [key: string, value: string][];
  labeled: Labeled;
  drift: DriftSelection;
  driftWindowMs: number;
  reference?: string;
  sinceLastDriftResolved: boolean;
  format: DatasetFormat;
}

export type DatasetQueryResult = { ok: true; query: DatasetQuery } | { ok: false; parameter: string; message: string };

const DEFAULT_WINDOW = '24h';
const DEFAULT_DRIFT_WINDOW = '1h';

function one(raw: RawDatasetQuery, key: keyof RawDatasetQuery): string | undefined | Error {
  const v = raw[key];
  if (Array.isArray(v)) return v.length === 1 ? v[0] : new Error(`${key} may be given once, got ${v.length} values`);
  return v;
}

function choice<T extends string>(text: string | undefined, options: readonly T[], fallback: T): T | undefined {
  if (text === undefined) return fallback;
  return options.find((o) => o === text);
}

export function parseDatasetQuery(model: string, raw: RawDatasetQuery, nowMs: number): DatasetQueryResult {
  const fail = (parameter: string, message: string): DatasetQueryResult => ({ ok: false, parameter, message });
  if (model.trim() === '') return fail('model', 'model is required: the ml.model.name (or service name)');
  const values: Partial<Record<keyof RawDatasetQuery, string>> = {};
  for (const key of DATASET_PARAMETERS) {
    if (key === 'slice') continue;
    const v = one(raw, key);
    if (v instanceof Error) return fail(key, v.message);
    if (v !== undefined) values[key] = v;
  }
  const end = values.end === undefined ? nowMs : parseInstantMs(values.end);
  if (end === undefined) return fail('end', `end must be ${instantHint(values.end)}`);
  let start: number;
  if (values.start !== undefined) {
    if (values.window !== undefined) return fail('window', 'give either window or start (with end), not both');
    const s = parseInstantMs(values.start);
    if (s === undefined) return fail('start', `start must be ${instantHint(values.start)}`);
    start = s;
  } else {
    const ms = parseDurationMs(values.window ?? DEFAULT_WINDOW);
    if (ms === undefined || ms < 1)
      return fail('window', `window must be a duration such as 1h, 7d or 30d, got "${values.window}"`);
    start = end - Math.round(ms);
  }
  if (start >= end) return fail('start', `start (${start}) must be before end (${end})`);

  const slices: [string, string][] = [];
  const rawSlices = raw.slice === undefined ? [] : Array.isArray(raw.slice) ? raw.slice : [raw.slice];
  for (const s of rawSlices) {
    const at = s.indexOf('=');
    if (at < 1)
      return fail('slice', `slice must be key=value, e.g. ml.model.version=3 or ml.input.country=FR, got "${s}"`);
    slices.push([s.slice(0, at), s.slice(at + 1)]);
  }
  const labeled = choice(values.labeled, LABELED, 'include');
  if (labeled === undefined) return fail('labeled', `labeled must be only, include or none, got "${values.labeled}"`);
  const drift = choice(values.drift, DRIFT, 'keep');
  if (drift === undefined) return fail('drift', `drift must be keep, drop or mark, got "${values.drift}"`);
  const format = choice(values.format, FORMATS, 'csv');
  if (format === undefined) return fail('format', `format must be csv, jsonl or parquet, got "${values.format}"`);
  const driftWindowMs = parseDurationMs(values.drift_window ?? DEFAULT_DRIFT_WINDOW);
  if (driftWindowMs === undefined || driftWindowMs < 1000)
    return fail(
      'drift_window',
      `drift_window must be a duration of at least 1s such as 15m or 1h, got "${values.drift_window}"`,
    );
  if (values.since !== undefined && values.since !== SINCE_LAST_DRIFT_RESOLVED)
    return fail('since', `since must be ${SINCE_LAST_DRIFT_RESOLVED}, got "${values.since}"`);

  const query: DatasetQuery = {
    model,
    range: { startMs: start, endMs: end },
    slices,
    labeled,
    drift,
    driftWindowMs: Math.round(driftWindowMs),
    sinceLastDriftResolved: values.since !== undefined,
    format,
  };
  if (values.version !== undefined) query.version = values.version;
  if (values.reference !== undefined) query.reference = values.reference;
  return { ok: true, query };
}

/** The query as parameters with its range pinned (what the manifest records and the CLI repeats). */
export function datasetQueryParameters(q: DatasetQuery): [string, string][] {
  const out: [string, string][] = [
    ['start', String(q.range.startMs)],
    ['end', String(q.range.endMs)],
  ];
  if (q.version !== undefined) out.push(['version', q.version]);
  for (const [k, v] of q.slices) out.push(['slice', `${k}=${v}`]);
  out.push(['labeled', q.labeled], ['drift', q.drift], ['drift_window', `${q.driftWindowMs}ms`]);
  if (q.reference !== undefined) out.push(['reference', q.reference]);
  if (q.sinceLastDriftResolved) out.push(['since', SINCE_LAST_DRIFT_RESOLVED]);
  out.push(['format', q.format]);
  return out;
}

/** `/api/datasets/{model}` (or its manifest) with these parameters. */
export function datasetPath(model: string, parameters: readonly [string, string][], manifest = false): string {
  const query = new URLSearchParams(parameters as [string, string][]).toString();
  const path = `/api/datasets/${encodeURIComponent(model)}${manifest ? '/manifest' : ''}`;
  return query === '' ? path : `${path}?${query}`;
}
