/**
 * Pearson's chi-square test of homogeneity on a contingency table: scipy's
 * `chi2_contingency(table, correction=False)` (no Yates correction, also for 2×2 tables).
 * For drift the table has two rows (reference counts, current counts) and one column per category;
 * with two categories it equals the two-proportion z-test (χ² = z²) Evidently uses for binary data.
 * Columns empty in every row are dropped first (scipy would refuse a zero expected frequency).
 *
 * The p-value is the chi-square survival function Q(dof/2, χ²/2), the regularised upper incomplete
 * gamma function from @stdlib (a port of Boost's), which agrees with scipy's chi2.sf to ~1e-13
 * relative, also far in the tail.
 */
import gammainc from '@stdlib/math-base-special-gammainc';

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/** P(X ≥ x) for X ~ χ²(dof). */
export function chiSquareSf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammainc(x / 2, dof / 2, true, true);
}

/** Homogeneity test on rows of counts (all rows the same length, one column per category). */
export function chiSquareContingency(table: readonly (readonly number[])[]): ChiSquareResult {
  const width = table[0]?.length ?? 0;
  const columnTotals = new Array<number>(width).fill(0);
  for (const row of table) {
    if (row.length !== width) throw new RangeError('chiSquareContingency: rows of different lengths');
    row.forEach((c, j) => (columnTotals[j]! += c));
  }
  const keep = columnTotals.map((t, j) => (t > 0 ? j : -1)).filter((j) => j >= 0);
  const rows = table.map((row) => keep.map((j) => row[j]!)).filter((row) => row.some((c) => c > 0));
  const cols = keep.map((j) => columnTotals[j]!);
  const rowTotals = rows.map((row) => row.reduce((s, c) => s + c, 0));
  const total = rowTotals.reduce((s, c) => s + c, 0);
  const dof = Math.max(0, (rows.length - 1) * (cols.length - 1));
  if (dof === 0 || total === 0) return { statistic: 0, pValue: 1, dof };

  let statistic = 0;
  rows.forEach((row, i) => {
    row.forEach((observed, j) => {
      const expected = (rowTotals[i]! * cols[j]!) / total;
      const diff = observed - expected;
      statistic += (diff * diff) / expected;
    });
  });
  return { statistic, pValue: chiSquareSf(statistic, dof), dof };
}
