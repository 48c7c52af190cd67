/**
 * Kullback-Leibler divergence KL(reference ‖ current) = Σ rᵢ · log(rᵢ / cᵢ), as
 * `scipy.stats.entropy(reference, current, base)` computes it (inputs normalised to sum 1, terms with
 * rᵢ = 0 contribute 0). The direction follows Evidently. Callers pass smoothed shares so cᵢ > 0.
 * `base` defaults to e (nats).
 */
export function klDivergence(
  referenceShares: readonly number[],
  currentShares: readonly number[],
  base: number = Math.E,
): number {
  const rTotal = referenceShares.reduce((s, v) => s + v, 0);
  const cTotal = currentShares.reduce((s, v) => s + v, 0);
  let sum = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const r = referenceShares[i]! / rTotal;
    const c = currentShares[i]! / cTotal;
    if (r > 0) sum += c > 0 ? r * Math.log(r / c) : Infinity;
  }
  return sum / Math.log(base);
}
