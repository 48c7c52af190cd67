import { chiSquareContingency } from '../../drift/statistics/chi-square.js';

/**
 * Association in one joint contingency table (rows: the input's bins or categories, columns: the
 * output's): mutual information and Cramér's V.
 *
 * Mutual information I(X;Y) = Σ p_ij · ln(p_ij / (p_i· p_·j)) with p from the counts (the plug-in
 * estimate), in nats (natural log); `bits` is the same in base 2. Cramér's V = √(χ² / (N·(k − 1))),
 * k = min(rows, columns), with χ² of the independence test without Yates' correction — what
 * `scipy.stats.contingency.association(table, method="cramer")` gives. Rows or columns that are
 * empty are left out (they carry no information and scipy refuses zero expected counts).
 */
export interface Association {
  total: number;
  mutualInformation: number;
  mutualInformationBits: number;
  cramersV: number;
}

export function association(table: readonly (readonly number[])[]): Association {
  const width = table[0]?.length ?? 0;
  const columns = new Array<number>(width).fill(0);
  const rows = table.map((row) => row.reduce((s, c) => s + c, 0));
  for (const row of table) row.forEach((c, j) => (columns[j]! += c));
  const total = rows.reduce((s, c) => s + c, 0);
  if (total === 0)
    return { total, mutualInformation: Number.NaN, mutualInformationBits: Number.NaN, cramersV: Number.NaN };
  let mi = 0;
  table.forEach((row, i) => {
    row.forEach((c, j) => {
      if (c > 0) mi += (c / total) * Math.log((c * total) / (rows[i]! * columns[j]!));
    });
  });
  mi = Math.max(0, mi);
  const k = Math.min(rows.filter((r) => r > 0).length, columns.filter((c) => c > 0).length);
  const cramersV = k < 2 ? Number.NaN : Math.sqrt(chiSquareContingency(table).statistic / (total * (k - 1)));
  return { total, mutualInformation: mi, mutualInformationBits: mi / Math.LN2, cramersV };
}
