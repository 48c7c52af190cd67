import type { AttributeValue } from '../../shared/span-record.js';

/**
 * One captured value of one row, as drift sees it: a finite number (numeric), a string (categorical;
 * booleans become "true"/"false"), or null (missing: null, NaN, ±Infinity). Arrays and objects
 * inside a row are not a feature value drift can compare: `undefined` (skipped and counted).
 */
export type Cell = number | string | null;

export function toCell(v: AttributeValue | undefined): Cell | undefined {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return null;
    default:
      return v === null ? null : undefined;
  }
}

/**
 * Rows of a call: `ml.batch.size` when it is a positive whole number, else the length of the
 * first array-valued feature, else 1 (the sidecar records a one-row call as scalars).
 */
export function rowCount(batchSize: AttributeValue | undefined, firstArrayLength: number | undefined): number {
  if (typeof batchSize === 'number' && Number.isInteger(batchSize) && batchSize > 0) return batchSize;
  return firstArrayLength ?? 1;
}

/** The value of row `row` of a feature attribute (undefined when the row was not captured). */
export function cellAt(value: AttributeValue | undefined, row: number): Cell | undefined {
  if (value === undefined) return null;
  if (Array.isArray(value)) return row < value.length ? toCell(value[row]) : undefined;
  return row === 0 ? toCell(value) : undefined;
}

/** Text of a slice value or a model attribute: strings as they are, numbers/booleans printed. */
export function cellText(cell: Cell | undefined): string | null {
  return cell === null || cell === undefined ? null : String(cell);
}
