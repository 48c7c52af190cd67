/**
 * Population Stability Index: Σ (cᵢ − rᵢ) · ln(cᵢ / rᵢ) over bins, r the reference's shares and c
 * the current window's, both smoothed (shares.ts) so no bin is empty. Natural log by convention
 * (the usual reading: < 0.1 stable, 0.1–0.25 moderate shift, > 0.25 significant shift).
 */
export function psi(referenceShares: readonly number[], currentShares: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const r = referenceShares[i]!;
    const c = currentShares[i]!;
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}
