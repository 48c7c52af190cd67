import { ML } from '../../shared/attribute-keys.js';
import type { Attributes } from '../../shared/span-record.js';
import { cellAt, rowCount, type Cell } from './cells.js';
import { attributeOfFeature, featureOfAttribute, groupOf } from './feature-key.js';

/**
 * Raw values of a set of spans, per feature, with the same observation rules as the summaries
 * (summary-accumulator.ts): every row is one observation; null/NaN/±Infinity are missing; a
 * feature absent from a span that carries other features of its side, in a capture that was not
 * truncated, is missing for every row. Unlike the accumulator, which can only know features it has
 * already seen, this knows every feature of the set, so spans before a feature's first appearance
 * count it missing too. Values inside a row that are arrays or objects are skipped.
 */
const INPUT = 1;
const OUTPUT = 2;
const TRUNCATED = 4;

export class RawColumns {
  readonly cells = new Map<string, Cell[]>();
  /** Per span added: rows taken, and which sides it carried (bits above). */
  private readonly rows: number[] = [];
  private readonly flags: number[] = [];
  spans = 0;
  skippedValues = 0;

  constructor(private readonly maxFeatures = Infinity) {}

  /** Adds a span's rows (all, or the row indices given, e.g. one slice's rows of a batch). */
  addSpan(attributes: Attributes, onlyRows?: readonly number[]): void {
    const features: [string, Cell[], number][] = [];
    let flags = attributes[ML.capture] === 'truncated' ? TRUNCATED : 0;
    let firstArrayLength: number | undefined;
    for (const key in attributes) {
      const feature = featureOfAttribute(key);
      if (feature === undefined) continue;
      const value = attributes[key]!;
      if (Array.isArray(value)) firstArrayLength ??= value.length;
      const side = groupOf(feature) === 'output' ? OUTPUT : INPUT;
      flags |= side;
      features.push([feature, this.column(feature, side), side]);
    }
    if (features.length === 0) return;
    const total = rowCount(attributes[ML.batchSize], firstArrayLength);
    const rows = onlyRows ?? Array.from({ length: total }, (_, i) => i);
    for (const [feature, column] of features) {
      if (column.length === 0 && !this.cells.has(feature)) continue; // over maxFeatures
      const value = attributes[attributeOfFeature(feature)];
      for (const r of rows) {
        const cell = cellAt(value, r);
        if (cell === undefined) {
          if (Array.isArray(value) && r >= value.length) continue; // a row capture did not keep
          this.skippedValues += 1;
        } else column.push(cell);
      }
    }
    if ((flags & TRUNCATED) === 0) {
      const present = new Set(features.map(([f]) => f));
      for (const [feature, column] of this.cells) {
        if (present.has(feature)) continue;
        const side = groupOf(feature) === 'output' ? OUTPUT : INPUT;
        if ((flags & side) !== 0) for (let i = 0; i < rows.length; i++) column.push(null);
      }
    }
    this.rows.push(rows.length);
    this.flags.push(flags);
    this.spans += 1;
  }

  /** A feature's column; a new one is back-filled with missing rows for the earlier spans that count. */
  private column(feature: string, side: number): Cell[] {
    let column = this.cells.get(feature);
    if (column !== undefined) return column;
    if (this.cells.size >= this.maxFeatures) return [];
    column = [];
    for (let i = 0; i < this.spans; i++) {
      const f = this.flags[i]!;
      if ((f & TRUNCATED) === 0 && (f & side) !== 0) for (let r = 0; r < this.rows[i]!; r++) column.push(null);
    }
    this.cells.set(feature, column);
    return column;
  }

  get observations(): number {
    let n = 0;
    for (const r of this.rows) n += r;
    return n;
  }
}
