import { chiSquareContingency, type ChiSquareResult } from '../../drift/statistics/chi-square.js';

/**
 * Did the joint distribution of a pair change? Pearson's chi-square test of homogeneity of two joint
 * tables of the same shape (reference, current): each table is flattened into one row of cells, and
 * the 2 × cells table is tested as in drift's categorical comparison (`chi2_contingency` without
 * Yates' correction, cells empty on both sides dropped).
 */
export function jointChiSquare(
  reference: readonly (readonly number[])[],
  current: readonly (readonly number[])[],
): ChiSquareResult {
  if (reference.length !== current.length || reference.some((row, i) => row.length !== current[i]!.length)) {
    throw new RangeError('jointChiSquare: the two tables differ in shape');
  }
  return chiSquareContingency([reference.flat(), current.flat()]);
}
