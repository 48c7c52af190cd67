import { OTHER_LABEL } from './axis-label.js';

/**
 * A mergeable joint histogram of one (input, output) pair: a count per (input label, output label)
 * cell (axis-label.ts). Each axis holds at most `maxLabels` distinct labels; values of a label not
 * yet held once the cap is reached are counted under "other" (first come, first kept, as drift's
 * categorical summaries do), so memory is bounded by maxLabels² cells.
 *
 * Erasure: remove(x, y) takes one add(x, y) back out — from the cell it went to.
 */
export const DEFAULT_MAX_LABELS = 64;
const SEP = '\u0000';

export type JointCell = [x: string, y: string, count: number];

export class JointHistogram {
  readonly cells = new Map<string, number>();
  private readonly xs = new Map<string, number>();
  private readonly ys = new Map<string, number>();
  total = 0;

  constructor(readonly maxLabels: number = DEFAULT_MAX_LABELS) {}

  add(x: string, y: string, count = 1): void {
    const rx = resolve(this.xs, x, this.maxLabels);
    const ry = resolve(this.ys, y, this.maxLabels);
    const key = rx + SEP + ry;
    this.cells.set(key, (this.cells.get(key) ?? 0) + count);
    this.xs.set(rx, (this.xs.get(rx) ?? 0) + count);
    this.ys.set(ry, (this.ys.get(ry) ?? 0) + count);
    this.total += count;
  }

  remove(x: string, y: string, count = 1): boolean {
    const rx = this.xs.has(x) ? x : OTHER_LABEL;
    const ry = this.ys.has(y) ? y : OTHER_LABEL;
    const key = rx + SEP + ry;
    const have = this.cells.get(key) ?? 0;
    if (have < count) return false;
    decrement(this.cells, key, count);
    decrement(this.xs, rx, count);
    decrement(this.ys, ry, count);
    this.total -= count;
    return true;
  }

  merge(other: JointHistogram): void {
    for (const [x, y, c] of other.entries()) this.add(x, y, c);
  }

  entries(): JointCell[] {
    return [...this.cells].map(([key, c]) => {
      const i = key.indexOf(SEP);
      return [key.slice(0, i), key.slice(i + 1), c];
    });
  }

  static fromEntries(entries: readonly JointCell[], maxLabels = DEFAULT_MAX_LABELS): JointHistogram {
    const h = new JointHistogram(maxLabels);
    for (const [x, y, c] of entries) h.add(x, y, c);
    return h;
  }
}

function resolve(labels: Map<string, number>, label: string, max: number): string {
  return labels.has(label) || label === OTHER_LABEL || labels.size - (labels.has(OTHER_LABEL) ? 1 : 0) < max ? label : OTHER_LABEL;
}

function decrement(map: Map<string, number>, key: string, count: number): void {
  const left = (map.get(key) ?? 0) - count;
  if (left > 0) map.set(key, left);
  else map.delete(key);
}
