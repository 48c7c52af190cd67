import type { AttributeValue } from '../../shared/span-record.js';

/**
 * The columns of a dataset and their types. Fixed columns first — `time`, `request_id`,
 * `trace_id`, `model_version`, `row` — then every input feature (`input.<name>`) in the order it
 * was first seen, then every output (`output.<name>`) likewise, then `label` and `drifted` when
 * asked for. The export decides the set in a first pass over the range (dataset-export.ts), so a
 * feature that appears half-way is a column from the first row (empty before), and a feature whose
 * type changes gets the type that holds every value it had:
 * - only numbers → `double`; only booleans → `boolean`;
 * - anything else (strings, a mix, arrays or objects inside a row) → `string`, numbers and
 *   booleans printed, arrays and objects as JSON text.
 */
export type ColumnType = 'timestamp' | 'int' | 'double' | 'boolean' | 'string';

export interface Column {
  name: string;
  type: ColumnType;
  /** The span attribute holding the values of a feature column. */
  attribute?: string;
}

export const FIXED_COLUMNS: readonly Column[] = Object.freeze([
  { name: 'time', type: 'timestamp' },
  { name: 'request_id', type: 'string' },
  { name: 'trace_id', type: 'string' },
  { name: 'model_version', type: 'string' },
  { name: 'row', type: 'int' },
]);

/** A value's own type, or undefined for null (a missing value says nothing about the column). */
function typeOf(v: AttributeValue | undefined): ColumnType | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'boolean';
  return 'string';
}

/** The type that holds values of both types. */
function widen(a: ColumnType | undefined, b: ColumnType | undefined): ColumnType | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  return 'string';
}

/** Collects the feature columns of a range, first seen first, with the widened type of their values. */
export class FeatureColumns {
  private readonly inputs = new Map<string, ColumnType | undefined>();
  private readonly outputs = new Map<string, ColumnType | undefined>();
  label: ColumnType | undefined;

  /** Notes one value of a feature attribute (`ml.input.*` / `ml.output.*`) for one row. */
  observe(attribute: string, output: boolean, value: AttributeValue | undefined): void {
    const map = output ? this.outputs : this.inputs;
    const had = map.get(attribute);
    if (had === 'string') return;
    map.set(attribute, widen(had, typeOf(value)));
  }

  /** Widens a feature's column to a type already known (the column registry's). */
  declare(attribute: string, output: boolean, type: ColumnType | undefined): void {
    const map = output ? this.outputs : this.inputs;
    map.set(attribute, widen(map.get(attribute), type));
  }

  /** The type seen so far of a feature attribute (undefined: no value yet). */
  typeOf(attribute: string): ColumnType | undefined {
    return this.inputs.get(attribute) ?? this.outputs.get(attribute);
  }

  observeLabel(value: AttributeValue | undefined): void {
    this.label = widen(this.label, typeOf(value));
  }

  /** The columns; features never seen with a value are strings (every cell is empty). */
  columns(options: { label: boolean; drifted: boolean }): Column[] {
    const feature = (attribute: string, type: ColumnType | undefined): Column => ({
      name: attribute.slice(3), // ml.input.age → input.age
      type: type ?? 'string',
      attribute,
    });
    const out = [...FIXED_COLUMNS];
    for (const [a, t] of this.inputs) out.push(feature(a, t));
    for (const [a, t] of this.outputs) out.push(feature(a, t));
    if (options.label) out.push({ name: 'label', type: this.label ?? 'string' });
    if (options.drifted) out.push({ name: 'drifted', type: 'boolean' });
    return out;
  }
}

/**
 * A value as its column holds it: null when missing or when it does not fit a `double` / `boolean`
 * column (a value that arrived after the first pass decided the type; counted by the caller).
 */
export function coerce(v: AttributeValue | undefined, type: ColumnType): string | number | boolean | null | undefined {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'double':
      return typeof v === 'number' ? v : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'string':
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    default:
      return undefined;
  }
}
