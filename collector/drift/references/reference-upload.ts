import type { Cell } from '../cells.js';
import { parseCsv } from './csv-table.js';
import { featureOfColumn } from '../feature-key.js';

/**
 * Turns an uploaded training profile into one column of cells per feature (pure). Formats:
 * - CSV: the header names the features; an empty field, NA, N/A, null, None or NaN is missing; a
 *   column whose every other field is a number is numeric, any other column categorical (its
 *   fields as written);
 * - JSON: an array of row objects (`[{"age": 31, "country": "fr"}, …]`; a key absent from a row is
 *   missing there), or `{"features": {"age": [31, 45, …], …}}` (columns may differ in length).
 *   Numbers are numeric, strings and booleans categorical, null missing.
 * Columns named in `categorical` are categorical whatever they hold (numeric codes such as zip
 * codes). Column names map to features as in feature-key.ts (`age` → `input.age`).
 */
export interface UploadColumns {
  columns: Map<string, Cell[]>;
  rows: number;
}

export type UploadResult = { ok: true; upload: UploadColumns } | { ok: false; message: string };

export interface UploadLimits {
  maxFeatures: number;
  /** Column names (as uploaded, or as features) to treat as categorical. */
  categorical: ReadonlySet<string>;
}

const MISSING = new Set(['', 'na', 'n/a', 'null', 'none', 'nan']);
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function fail(message: string): UploadResult {
  return { ok: false, message };
}

/** Maps column names to features, refusing empty names, duplicates and too many columns. */
function featureNames(
  names: readonly string[],
  limits: UploadLimits,
): { ok: true; features: string[] } | { ok: false; message: string } {
  if (names.length === 0) return { ok: false, message: 'the reference names no feature' };
  if (names.length > limits.maxFeatures) {
    return {
      ok: false,
      message: `the reference has ${names.length} columns; at most ${limits.maxFeatures} features are tracked per model`,
    };
  }
  const seen = new Map<string, string>();
  const features: string[] = [];
  for (const name of names) {
    const feature = featureOfColumn(name);
    if (feature === undefined)
      return { ok: false, message: 'a column has an empty name: every column needs a feature name' };
    const earlier = seen.get(feature);
    if (earlier !== undefined)
      return { ok: false, message: `columns "${earlier}" and "${name}" both name the feature ${feature}` };
    seen.set(feature, name);
    features.push(feature);
  }
  return { ok: true, features };
}

const isCategorical = (limits: UploadLimits, column: string, feature: string): boolean =>
  limits.categorical.has(column) || limits.categorical.has(feature);

export function columnsFromCsv(text: string, limits: UploadLimits): UploadResult {
  const csv = parseCsv(text);
  if (!csv.ok) return fail(`the CSV cannot be read: ${csv.message}`);
  const names = featureNames(csv.header, limits);
  if (!names.ok) return fail(names.message);
  if (csv.rows.length === 0) return fail('the CSV has a header but no rows');
  const columns = new Map<string, Cell[]>();
  names.features.forEach((feature, j) => {
    const texts = csv.rows.map((row) => row[j]!.trim());
    const present = texts.filter((t) => !MISSING.has(t.toLowerCase()));
    const numeric =
      !isCategorical(limits, csv.header[j]!.trim(), feature) &&
      present.length > 0 &&
      present.every((t) => NUMBER.test(t));
    columns.set(
      feature,
      texts.map((t): Cell => (MISSING.has(t.toLowerCase()) ? null : numeric ? Number(t) : t)),
    );
  });
  return { ok: true, upload: { columns, rows: csv.rows.length } };
}

function jsonCell(v: unknown, categorical: boolean): Cell | undefined {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? (categorical ? String(v) : v) : null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function columnsFromJson(body: unknown, limits: UploadLimits): UploadResult {
  const shape = 'a JSON reference is an array of row objects, or {"features": {"<name>": [values…]}}';
  let byName: [string, unknown[]][];
  let rows: number;
  if (Array.isArray(body)) {
    if (body.length === 0) return fail('the JSON array has no rows');
    const names: string[] = [];
    const known = new Set<string>();
    for (let i = 0; i < body.length; i++) {
      const row: unknown = body[i];
      if (!isRecord(row)) return fail(`row ${i} is not an object; ${shape}`);
      for (const k of Object.keys(row))
        if (!known.has(k)) {
          known.add(k);
          names.push(k);
        }
    }
    byName = names.map((n) => [n, body.map((row) => (row as Record<string, unknown>)[n])]);
    rows = body.length;
  } else if (isRecord(body) && isRecord(body.features) && Object.keys(body).length === 1) {
    byName = Object.entries(body.features).map(([n, v]) => [n, v as unknown[]]);
    for (const [n, v] of byName)
      if (!Array.isArray(v)) return fail(`features.${n} is not an array of values; ${shape}`);
    rows = Math.max(0, ...byName.map(([, v]) => v.length));
    if (rows === 0) return fail('every feature array is empty');
  } else {
    return fail(shape);
  }
  const names = featureNames(
    byName.map(([n]) => n),
    limits,
  );
  if (!names.ok) return fail(names.message);
  const columns = new Map<string, Cell[]>();
  for (let j = 0; j < byName.length; j++) {
    const [name, values] = byName[j]!;
    const feature = names.features[j]!;
    const categorical = isCategorical(limits, name, feature);
    const cells: Cell[] = [];
    for (let i = 0; i < values.length; i++) {
      const cell = jsonCell(values[i], categorical);
      if (cell === undefined)
        return fail(
          `the value of "${name}" in row ${i} is an array or object: give one number, string, boolean or null per row`,
        );
      cells.push(cell);
    }
    columns.set(feature, cells);
  }
  return { ok: true, upload: { columns, rows } };
}
