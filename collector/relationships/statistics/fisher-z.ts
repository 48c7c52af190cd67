import { chiSquareSf } from '../../drift/statistics/chi-square.js';

/**
 * Fisher's z-test of the difference between two independent Pearson correlations:
 * z = (atanh r₂ − atanh r₁) / √(1/(n₁ − 3) + 1/(n₂ − 3)), two-sided p = P(|Z| ≥ |z|).
 * The normal tail comes from the chi-square one (Z² ~ χ²₁), so no second special function is
 * needed. NaN (no test) when either side has fewer than 4 pairs or an undefined r.
 */
export interface FisherZResult {
  z: number;
  pValue: number;
}

export function fisherZTest(r1: number, n1: number, r2: number, n2: number): FisherZResult {
  if (!(n1 > 3) || !(n2 > 3) || !Number.isFinite(r1) || !Number.isFinite(r2))
    return { z: Number.NaN, pValue: Number.NaN };
  const clamp = (r: number): number => Math.max(-1 + 1e-15, Math.min(1 - 1e-15, r));
  const z = (Math.atanh(clamp(r2)) - Math.atanh(clamp(r1))) / Math.sqrt(1 / (n1 - 3) + 1 / (n2 - 3));
  return { z, pValue: chiSquareSf(z * z, 1) };
}
