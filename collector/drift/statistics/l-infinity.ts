/**
 * L-infinity distance between two categorical distributions: the largest absolute difference of
 * any category's share, max |cᵢ − rᵢ| (TensorFlow Data Validation's drift comparator). Unsmoothed
 * shares; a category absent on one side has share 0 there.
 */
export function lInfinity(referenceShares: readonly number[], currentShares: readonly number[]): number {
  let max = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const d = Math.abs((currentShares[i] ?? 0) - (referenceShares[i] ?? 0));
    if (d > max) max = d;
  }
  return max;
}
