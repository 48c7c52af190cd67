import { OTHER_LABEL } from './axis-label.js';

/**
 * A mergeable joint histogram of one (input, output) pair: a count per (input label, output label)
 * cell (axis-label.ts), held as input label → output label → count. Each axis holds at most
 * `maxLabels` distinct labels; values of a label not yet held once the cap is reached are counted
 * under "other" (first come, first kept, as drift's categorical summaries do), so memory is bounded
 * by maxLabels² cells.
 *
 * Erasure: remove(x, y) takes one add(x, y) back out — from the cell it went to.
 */
export const DEFAULT_MAX_LABELS = 64;

export type JointCell = [x: string, y: string, count: number];

export class JointHistogram {
  private readonly rows = new Map<string, Map<string, number>>();
  /** Output label → its count over every input label (for the output axis's cap). */
  private readonly columns = new Map<string, number>();
  total = 0;

  constructor(readonly maxLabels: number = DEFAULT_MAX_LABELS) {}

  add(x: string, y: string, count = 1): void {
    let row = this.rows.get(x);
    if (row === undefined) {
      if (!fits(this.rows, x, this.maxLabels)) return this.add(OTHER_LABEL, y, count);
      row = new Map();
      this.rows.set(x, row);
    }
    const column = this.columns.get(y);
    if (column === undefined && !fits(this.columns, y, this.maxLabels)) return this.add(x, OTHER_LABEL, count);
    this.columns.set(y, (column ?? 0) + count);
    row.set(y, (row.get(y) ?? 0) + count);
    this.total += count;
  }

  remove(x: string, y: string, count = 1): boolean {
    const rx = this.rows.has(x) ? x : OTHER_LABEL;
    const ry = this.columns.has(y) ? y : OTHER_LABEL;
    const row = this.rows.get(rx);
    const have = row?.get(ry) ?? 0;
    if (row === undefined || have < count) return false;
    decrement(row, ry, count);
    if (row.size === 0) this.rows.delete(rx);
    decrement(this.columns, ry, count);
    this.total -= count;
    return true;
  }

  merge(other: JointHistogram): void {
    for (const [x, y, c] of other.entries()) this.add(x, y, c);
  }

  entries(): JointCell[] {
    const out: JointCell[] = [];
    for (const [x, row] of this.rows) for (const [y, c] of row) out.push([x, y, c]);
    return out;
  }

  static fromEntries(entries: readonly JointCell[], maxLabels = DEFAULT_MAX_LABELS): JointHistogram {
    const h = new JointHistogram(maxLabels);
    for (const [x, y, c] of entries) h.add(x, y, c);
    return h;
  }
}

/** Whether a new label may take a place on an axis ("other" always may, and takes none). */
function fits(axis: ReadonlyMap<string, unknown>, label: string, max: number): boolean {
  return label === OTHER_LABEL || axis.size - (axis.has(OTHER_LABEL) ? 1 : 0) < max;
}

function decrement(map: Map<string, number>, key: string, count: number): void {
  const left = (map.get(key) ?? 0) - count;
  if (left > 0) map.set(key, left);
  else map.delete(key);
}
