import { type JointHistogram } from '../summaries/joint-histogram.js';
import { axisGroups, type AxisGroups } from './axis-groups.js';

/**
 * A pair's reference and current joint histograms as two count matrices over the same groups
 * (axis-groups.ts): rows are the input's groups, columns the output's.
 */
export interface AlignedTables {
  rows: AxisGroups;
  columns: AxisGroups;
  reference: number[][];
  current: number[][];
}

function marginals(h: JointHistogram): [Map<string, number>, Map<string, number>] {
  const xs = new Map<string, number>();
  const ys = new Map<string, number>();
  for (const [x, y, c] of h.entries()) {
    xs.set(x, (xs.get(x) ?? 0) + c);
    ys.set(y, (ys.get(y) ?? 0) + c);
  }
  return [xs, ys];
}

function matrix(h: JointHistogram, rows: AxisGroups, columns: AxisGroups): number[][] {
  const m = rows.names.map(() => new Array<number>(columns.names.length).fill(0));
  for (const [x, y, c] of h.entries()) {
    const i = rows.groupOf(x);
    const j = columns.groupOf(y);
    if (i >= 0 && j >= 0) m[i]![j]! += c;
  }
  return m;
}

export function alignTables(reference: JointHistogram, current: JointHistogram): AlignedTables {
  const [rx, ry] = marginals(reference);
  const [cx, cy] = marginals(current);
  const rows = axisGroups(rx, cx);
  const columns = axisGroups(ry, cy);
  return { rows, columns, reference: matrix(reference, rows, columns), current: matrix(current, rows, columns) };
}
