import { binBounds, binIndex, quantileEdgesFrom } from '../../drift/statistics/quantile-bins.js';
import { CATEGORY_PREFIX, OTHER_LABEL, axisLabel, numericValueOf } from '../summaries/axis-label.js';

/**
 * The groups one axis of a joint table is tested over. Categories are their own group (and "other"
 * one more). Numeric labels — fine fixed bins — are grouped into the reference's quantile bins, as
 * drift bins numeric features (statistics/quantile-bins.ts: 10 quantiles, de-duplicated, plus an
 * underflow and an overflow bin), each fine bin placed by its representative value; so the tests
 * see at most ~12 numeric groups, and the groups mean the same on both sides.
 */
export interface AxisGroups {
  /** Group names, in order: numeric ranges ascending, then categories by name. */
  names: string[];
  /** A stored label's group index. */
  groupOf(label: string): number;
  /** A raw value's group index (exemplar search), -1 when none. */
  groupOfValue(value: number | string): number;
}

type Marginal = ReadonlyMap<string, number>;

/** Weighted "lower" quantile of (value, count) points sorted by value. */
function weightedQuantile(points: readonly [number, number][], total: number): (q: number) => number {
  return (q) => {
    const target = q * total;
    let seen = 0;
    for (const [v, c] of points) {
      seen += c;
      if (seen >= target) return v;
    }
    return points[points.length - 1]![0];
  };
}

function numericPoints(marginal: Marginal): [number, number][] {
  const out: [number, number][] = [];
  for (const [label, c] of marginal) {
    const v = numericValueOf(label);
    if (v !== undefined && c > 0) out.push([v, c]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

const fmt = (v: number | null, fallback: string): string => (v === null ? fallback : String(Number(v.toPrecision(6))));

export function axisGroups(reference: Marginal, current: Marginal): AxisGroups {
  let points = numericPoints(reference);
  if (points.length === 0) points = numericPoints(current);
  const total = points.reduce((s, [, c]) => s + c, 0);
  const edges = points.length === 0 ? [] : quantileEdgesFrom(weightedQuantile(points, total));
  const categories = [...new Set([...reference.keys(), ...current.keys()])]
    .filter((l) => l.startsWith(CATEGORY_PREFIX) || l === OTHER_LABEL)
    .sort();
  const numericCount = edges.length === 0 ? 0 : Math.max(1, edges.length - 1) + 2;
  const names = [
    ...Array.from({ length: numericCount }, (_, i) => {
      const { lower, upper } = binBounds(edges, i);
      return `[${fmt(lower, '-inf')}, ${fmt(upper, 'inf')}]`;
    }),
    ...categories.map((l) => (l === OTHER_LABEL ? '__other__' : l.slice(CATEGORY_PREFIX.length))),
  ];
  const categoryIndex = new Map(categories.map((l, i) => [l, numericCount + i]));
  const groupOf = (label: string): number => {
    const v = numericValueOf(label);
    if (v !== undefined) return edges.length === 0 ? -1 : binIndex(edges, v);
    return categoryIndex.get(label) ?? -1;
  };
  return { names, groupOf, groupOfValue: (value) => groupOf(axisLabel(value)) };
}
