/**
 * Shares (probabilities) from counts, and the smoothing PSI and KL need because they divide by and
 * take logs of shares: every empty bin gets share ε (DEFAULT_EPSILON = 1e-4, as Evidently uses),
 * then all shares are divided by their sum so they add up to 1 again. Jensen-Shannon and
 * L-infinity are finite with empty bins and use the unsmoothed shares.
 */

export const DEFAULT_EPSILON = 1e-4;

export function toShares(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

export function smoothShares(shares: readonly number[], epsilon: number = DEFAULT_EPSILON): number[] {
  const raised = shares.map((s) => (s > 0 ? s : epsilon));
  const total = raised.reduce((s, c) => s + c, 0);
  return raised.map((s) => s / total);
}
