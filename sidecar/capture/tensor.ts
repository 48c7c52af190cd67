import { FeatureTable, MalformedBody, isRecord, toCell, type Cell } from './extraction.js';

/*
 * Turning the payload shapes every protocol shares into features, one value per row:
 * - a row that is a scalar is one feature, named after its tensor;
 * - a row that is an array is flattened row-major into columns `<tensor>.<i>` (one column: `<tensor>`);
 * - a row that is an object contributes one feature per key (nested keys joined by '.');
 * - binary values (`{"b64": ...}`) are never captured: `<name>.bytes` holds their decoded size.
 */

function isB64(v: unknown): v is { b64: string } {
  return isRecord(v) && typeof v.b64 === 'string' && Object.keys(v).length === 1;
}

/** Decoded size of base64 text, without decoding it. */
export function b64Size(text: string): number {
  const clean = text.replace(/[^A-Za-z0-9+/_-]/g, '');
  return Math.floor((clean.length * 3) / 4);
}

/** Whether every element is a JSON scalar, i.e. the array is already flat (the common case). */
export function isFlat(values: readonly unknown[]): boolean {
  for (const v of values) if (v !== null && typeof v === 'object') return false;
  return true;
}

/** Whether every element is already a cell (a JSON scalar or null), so the array needs no conversion. */
function isCellArray(values: readonly unknown[]): values is Cell[] {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined || (v !== null && typeof v === 'object')) return false;
  }
  return true;
}

/** Pushes the leaves of a nested array in row-major order; returns the binary bytes seen, or -1. */
function flattenLeaves(value: unknown, out: unknown[]): number {
  let bytes = -1;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (isB64(v)) bytes = Math.max(bytes, 0) + b64Size(v.b64);
    else out.push(v);
  };
  walk(value);
  return bytes;
}

/** Adds one row's value under `name` (see the rules above). */
export function addValue(t: FeatureTable, row: number, name: string, value: unknown): void {
  if (value === null || typeof value !== 'object') {
    t.set(name, row, toCell(value));
  } else if (isB64(value)) {
    t.set(`${name}.bytes`, row, b64Size(value.b64));
  } else if (Array.isArray(value)) {
    const leaves: unknown[] = [];
    const bytes = flattenLeaves(value, leaves);
    if (bytes >= 0) t.set(`${name}.bytes`, row, bytes);
    else if (leaves.length === 1) t.set(name, row, toCell(leaves[0]));
    else leaves.forEach((v, j) => t.set(`${name}.${j}`, row, toCell(v), { tensor: name, column: j }));
  } else {
    for (const [k, v] of Object.entries(value)) addValue(t, row, `${name}.${k}`, v);
  }
  t.atLeastRows(row + 1);
}

/** Row format: one element per row; object rows are named by their keys, others by `fallback`. */
export function addRows(t: FeatureTable, rows: readonly unknown[], fallback: string): void {
  rows.forEach((row, i) => {
    if (isRecord(row) && !isB64(row)) {
      for (const [k, v] of Object.entries(row)) addValue(t, i, k, v);
      t.atLeastRows(i + 1);
    } else addValue(t, i, fallback, row);
  });
}

/** A tensor whose first dimension is the batch; a scalar is one row. */
export function addTensor(t: FeatureTable, name: string, tensor: unknown): void {
  if (Array.isArray(tensor)) tensor.forEach((row, i) => addValue(t, i, name, row));
  else addValue(t, 0, name, tensor);
}

/** Columnar format: an object of named tensors, or a single tensor named `fallback`. */
export function addColumns(t: FeatureTable, columns: unknown, fallback: string): void {
  if (isRecord(columns) && !isB64(columns)) for (const [k, v] of Object.entries(columns)) addTensor(t, k, v);
  else addTensor(t, fallback, columns);
}

export function validShape(shape: unknown): shape is number[] {
  return Array.isArray(shape) && shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0);
}

/**
 * A tensor given as a shape and row-major data (flat or nested): rows are the first dimension,
 * the remaining dimensions are flattened into columns.
 */
export function addShaped(t: FeatureTable, name: string, shape: readonly number[], data: unknown): void {
  const rows = shape.length === 0 ? 1 : (shape[0] as number);
  let width = 1;
  for (let d = 1; d < shape.length; d++) width *= shape[d] as number;
  // The usual tensor, one value per row of JSON scalars, is already its own column: copy it whole.
  if (width === 1 && Array.isArray(data) && data.length === rows && isCellArray(data)) {
    t.column(name, data.slice());
    t.atLeastRows(rows);
    return;
  }
  let flat: readonly unknown[] = [];
  let bytes = -1;
  if (Array.isArray(data) && isFlat(data)) flat = data;
  else {
    const leaves: unknown[] = [];
    bytes = flattenLeaves(data, leaves);
    flat = leaves;
  }
  if (bytes >= 0) {
    for (let i = 0; i < rows; i++) t.set(`${name}.bytes`, i, Math.round(bytes / Math.max(rows, 1)));
    return;
  }
  if (flat.length !== rows * width) {
    throw new MalformedBody(
      `tensor "${name}": shape [${shape.join(', ')}] needs ${rows * width} values, data has ${flat.length}`,
    );
  }
  // Column by column: one table entry per column instead of one lookup per value.
  const columns = width === 1 ? 1 : t.room(width);
  for (let j = 0; j < columns; j++) {
    const column = new Array<Cell>(rows);
    for (let i = 0; i < rows; i++) column[i] = toCell(flat[i * width + j]);
    if (width === 1) t.column(name, column);
    else t.column(`${name}.${j}`, column, { tensor: name, column: j });
  }
  t.atLeastRows(rows);
}
