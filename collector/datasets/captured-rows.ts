import { ENDUSER, ML } from '../../shared/attribute-keys.js';
import type { AttributeValue } from '../../shared/span-record.js';
import type { CapturedSpan } from '../drift/captured-span.js';
import { rowCount } from '../drift/cells.js';
import { rowSlices } from '../drift/slices.js';

/**
 * The rows of one captured call, as drift counts them (drift/cells.ts): `ml.batch.size` rows, else
 * the length of the first array-valued feature, else one. A batch feature holds one element per
 * row; a value that is not such an array is the same for every row (e.g. an embedding of a
 * one-row call stays whole).
 */
export const isFeatureAttribute = (key: string): boolean =>
  key.startsWith(ML.inputPrefix) || key.startsWith(ML.outputPrefix);

export function spanRows(attributes: Readonly<Record<string, AttributeValue>>): number {
  let firstArray: number | undefined;
  for (const key in attributes) {
    if (firstArray !== undefined) break;
    const v = attributes[key];
    if (Array.isArray(v) && isFeatureAttribute(key)) firstArray = v.length;
  }
  return rowCount(attributes[ML.batchSize], firstArray);
}

/** The value of one row of a feature attribute (undefined: not captured for this row). */
export function rowValue(v: AttributeValue | undefined, row: number, rows: number): AttributeValue | undefined {
  if (Array.isArray(v) && (rows > 1 || v.length === 1)) return v[row];
  return v;
}

/** What decides which rows of a span are kept, besides labels. */
export interface RowSelection {
  slices: readonly [string, string][];
  /** Pseudonyms (`enduser.pseudo.id`) of subjects whose rows must not be exported. */
  excluded: ReadonlySet<string>;
}

/** Whether a span's subject excludes it: one pseudonym for the call, or any of several not aligned with rows. */
function subjectRows(span: CapturedSpan, rows: number, excluded: ReadonlySet<string>): boolean[] | 'all' | 'none' {
  if (excluded.size === 0) return 'all';
  const subject = span.attributes[ENDUSER.pseudoId];
  if (typeof subject === 'string') return excluded.has(subject) ? 'none' : 'all';
  if (!Array.isArray(subject)) return 'all';
  if (subject.length === rows) return subject.map((s) => !(typeof s === 'string' && excluded.has(s)));
  // Several subjects not one per row (the sidecar lists each once): any excluded one excludes the call.
  return subject.some((s) => typeof s === 'string' && excluded.has(s)) ? 'none' : 'all';
}

/** The rows (0-based) of the span that pass the slices and the subject exclusions. */
export function selectRows(span: CapturedSpan, rows: number, sel: RowSelection): number[] {
  const subjects = subjectRows(span, rows, sel.excluded);
  if (subjects === 'none') return [];
  let keep: boolean[] = Array.from({ length: rows }, (_, r) => subjects === 'all' || subjects[r] === true);
  for (const [key, value] of sel.slices) {
    const slices = rowSlices(span, key);
    if (!slices.has(value)) return [];
    const inSlice = slices.get(value);
    if (inSlice === undefined) continue; // the whole call is in the slice
    const set = new Set(inSlice);
    keep = keep.map((k, r) => k && set.has(r));
  }
  const out: number[] = [];
  keep.forEach((k, r) => {
    if (k) out.push(r);
  });
  return out;
}
