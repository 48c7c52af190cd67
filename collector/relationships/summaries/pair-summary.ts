import type { Cell } from '../../drift/cells.js';
import { CoMoments, type CoMomentsState } from '../statistics/co-moments.js';
import { axisLabel } from './axis-label.js';
import { DEFAULT_MAX_LABELS, JointHistogram, type JointCell } from './joint-histogram.js';

/**
 * The mergeable summary of one (input, output) pair over one time bucket. A row whose two values
 * are both numbers updates the co-moments (Pearson's r); a row with a category on either side
 * updates the joint histogram (mutual information, Cramér's V), the number side binned
 * (axis-label.ts). A row with a side missing (null, NaN, ±Infinity) counts in `missing` only:
 * relationships use the rows where both are present (pairwise deletion, as pandas' corr()).
 * remove(x, y) is the exact inverse of add(x, y).
 */
export interface PairSummaryJson {
  moments: CoMomentsState;
  joint: JointCell[];
  missing: number;
}

export class PairSummary {
  moments = new CoMoments();
  joint: JointHistogram;
  missing = 0;

  constructor(maxLabels = DEFAULT_MAX_LABELS) {
    this.joint = new JointHistogram(maxLabels);
  }

  add(x: Cell, y: Cell): void {
    if (x === null || y === null) this.missing += 1;
    else if (typeof x === 'number' && typeof y === 'number') this.moments.add(x, y);
    else this.joint.add(axisLabel(x), axisLabel(y));
  }

  remove(x: Cell, y: Cell): boolean {
    if (x === null || y === null) {
      if (this.missing === 0) return false;
      this.missing -= 1;
      return true;
    }
    if (typeof x === 'number' && typeof y === 'number') return this.moments.remove(x, y);
    return this.joint.remove(axisLabel(x), axisLabel(y));
  }

  merge(other: PairSummary): void {
    this.moments.merge(other.moments);
    this.joint.merge(other.joint);
    this.missing += other.missing;
  }

  clone(): PairSummary {
    const copy = new PairSummary(this.joint.maxLabels);
    copy.merge(this);
    return copy;
  }

  /** Rows with both sides present. */
  get count(): number {
    return this.moments.count + this.joint.total;
  }

  /** Numeric when most present rows were number pairs (then r is the measure), else joint. */
  get kind(): 'numeric' | 'joint' {
    return this.moments.count >= this.joint.total ? 'numeric' : 'joint';
  }

  toJson(): PairSummaryJson {
    return { moments: this.moments.state(), joint: this.joint.entries(), missing: this.missing };
  }

  static fromJson(json: PairSummaryJson, maxLabels = DEFAULT_MAX_LABELS): PairSummary {
    const s = new PairSummary(maxLabels);
    s.moments = CoMoments.from(json.moments);
    s.joint = JointHistogram.fromEntries(json.joint, maxLabels);
    s.missing = json.missing;
    return s;
  }
}
