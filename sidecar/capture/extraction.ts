/**
 * What a protocol parser extracts from one body: a table of features, one value per row.
 * Pure data; the privacy, limits and flatten steps turn it into span attributes.
 */
export type Cell = string | number | boolean | null;

export interface Feature {
  name: string;
  /** One value per row of the batch. */
  values: Cell[];
  /** Set on a column of a tensor whose columns had no names, so a feature-name list can rename it. */
  position?: { tensor: string; column: number };
}

export interface Extraction {
  rows: number;
  features: Feature[];
  modelName?: string;
  modelVersion?: string;
  /** The protocol's own request id (OIP `id`, Seldon `meta.puid`). */
  requestId?: string;
  /** Columns of an unnamed tensor past the table's cap were not read (FeatureTable). */
  capped?: boolean;
}

/** The body is JSON but not the shape its protocol prescribes; never escapes the capture pipeline. */
export class MalformedBody extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedBody';
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A JSON leaf as a cell; a nested object that reaches here is kept as its JSON text. */
export function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v) ?? null;
}

/**
 * Collects cells by feature name and row, padding rows a feature has no value for with null.
 *
 * `maxColumns` caps the columns an unnamed tensor adds (those with a `position`): an image of
 * 196,608 values would otherwise become as many features only for capture's limit to keep the
 * first 256. Columns past the cap would all come after the kept ones, so the result after the
 * limit is the same; `capped` says the limit was reached. Named features are always read (the
 * subject's field may be among them).
 */
export class FeatureTable {
  private readonly byName = new Map<string, Feature>();
  private rowCount = 0;
  private overCap = false;

  constructor(private readonly maxColumns = Number.POSITIVE_INFINITY) {}

  /** How many of `wanted` new columns an unnamed tensor may add; asking for more marks the table capped. */
  room(wanted: number): number {
    const room = Math.max(0, this.maxColumns - this.byName.size);
    if (wanted > room) this.overCap = true;
    return Math.min(wanted, room);
  }

  set(name: string, row: number, value: Cell, position?: Feature['position']): void {
    let f = this.byName.get(name);
    if (f === undefined) {
      if (position && this.room(1) === 0) return;
      f = position ? { name, values: [], position } : { name, values: [] };
      this.byName.set(name, f);
    }
    while (f.values.length < row) f.values.push(null);
    f.values[row] = value;
    if (row >= this.rowCount) this.rowCount = row + 1;
  }

  /** Sets a whole column at once (the fast path for tensors); falls back to cells for a repeated name. */
  column(name: string, values: Cell[], position?: Feature['position']): void {
    if (this.byName.has(name)) {
      values.forEach((v, row) => this.set(name, row, v, position));
      return;
    }
    this.byName.set(name, position ? { name, values, position } : { name, values });
    if (values.length > this.rowCount) this.rowCount = values.length;
  }

  /** Declares rows that may carry no value at all (e.g. an empty object in a batch). */
  atLeastRows(n: number): void {
    if (n > this.rowCount) this.rowCount = n;
  }

  get rows(): number {
    return this.rowCount;
  }

  features(): Feature[] {
    const out = [...this.byName.values()];
    for (const f of out) while (f.values.length < this.rowCount) f.values.push(null);
    return out;
  }

  /** Rows and features, and whether the cap was reached. */
  extraction(): Extraction {
    const e: Extraction = { rows: this.rowCount, features: this.features() };
    if (this.overCap) e.capped = true;
    return e;
  }
}

export function optionalString(v: unknown): string | undefined {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}
