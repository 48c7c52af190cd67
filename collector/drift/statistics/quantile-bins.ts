/**
 * Numeric binning for PSI, Jensen-Shannon, KL and "moved bins": edges come from the reference.
 *
 * - Edges are the reference's quantiles at k/B, k = 0..B (B = 10 by default), computed like
 *   numpy's default `np.quantile(ref, k/B)` (method "linear"), then de-duplicated (tie-heavy data
 *   gives repeated quantiles, so there may be fewer than B bins).
 * - Bins are [e₀, e₁), [e₁, e₂), …, [e_{B−1}, e_B] (the last one closed: it ends at the reference
 *   maximum), plus an underflow bin (−∞, e₀) and an overflow bin (e_B, +∞) for current values
 *   outside the reference's range. The reference itself never falls into those two.
 * - A single distinct reference value gives one bin [v, v] plus underflow and overflow.
 */

export const DEFAULT_BINS = 10;

/** numpy's linear-interpolation quantile of a sorted sample, q in [0, 1]. */
function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * q;
  if (virtual >= n - 1) return sorted[n - 1]!;
  if (virtual < 0) return sorted[0]!;
  const lo = Math.floor(virtual);
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const t = virtual - lo;
  const diff = b - a;
  // numpy's _lerp: from the nearer end, so t = 1 returns b exactly.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Distinct ascending edges from a sorted reference sample. */
export function quantileEdges(sortedReference: ArrayLike<number>, bins: number = DEFAULT_BINS): number[] {
  if (sortedReference.length === 0) return [];
  return dedupe(Array.from({ length: bins + 1 }, (_, k) => quantileSorted(sortedReference, k / bins)));
}

/** Edges from any quantile function (used with summaries). */
export function quantileEdgesFrom(quantile: (q: number) => number, bins: number = DEFAULT_BINS): number[] {
  return dedupe(Array.from({ length: bins + 1 }, (_, k) => quantile(k / bins)));
}

function dedupe(edges: number[]): number[] {
  const out: number[] = [];
  for (const e of edges) if (out.length === 0 || e > out[out.length - 1]!) out.push(e);
  return out;
}

/**
 * The bin of a value: 0 is the underflow bin, 1..E−1 the regular bins (E − 1 of them for E edges,
 * or 1 when there is a single edge), and the last index the overflow bin.
 */
export function binIndex(edges: readonly number[], value: number): number {
  const last = edges.length - 1;
  const regular = Math.max(1, last);
  if (value < edges[0]!) return 0;
  if (value > edges[last]!) return regular + 1;
  if (value === edges[last]!) return regular;
  // Binary search for the last edge ≤ value.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= value) lo = mid;
    else hi = mid;
  }
  return lo + 1;
}

/** Number of bins (underflow and overflow included) for a list of edges. */
function binCount(edges: readonly number[]): number {
  return Math.max(1, edges.length - 1) + 2;
}

/** Counts per bin for raw values (non-finite values skipped). */
export function binCounts(edges: readonly number[], values: ArrayLike<number>): number[] {
  const counts = new Array<number>(binCount(edges)).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[binIndex(edges, v)]! += 1;
  }
  return counts;
}

/** The bounds of bin i as [lower, upper]; null stands for −∞ / +∞. */
export function binBounds(edges: readonly number[], i: number): { lower: number | null; upper: number | null } {
  const regular = Math.max(1, edges.length - 1);
  if (i === 0) return { lower: null, upper: edges[0]! };
  if (i === regular + 1) return { lower: edges[edges.length - 1]!, upper: null };
  if (edges.length === 1) return { lower: edges[0]!, upper: edges[0]! };
  return { lower: edges[i - 1]!, upper: edges[i]! };
}
