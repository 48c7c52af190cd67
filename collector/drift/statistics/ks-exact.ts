/**
 * Exact two-sided p-value of the two-sample Kolmogorov-Smirnov statistic, P(D ≥ h/lcm(m, n)),
 * by counting lattice paths from (0, 0) to (m, n) (Hodges 1958, after Drion/Gnedenko/Korolyuk),
 * the way scipy's ks_2samp does for method "exact":
 * - m = n: the closed alternating sum of binomial ratios, P = 2(A₀ − A₀A₁ + A₀A₁A₂ − …), nested
 *   so no term is subtracted from a much larger one;
 * - m ≠ n: the "inside" recursion carried as 1 − p directly (Viehmann 2021, arXiv:2102.08037):
 *   a(i, j) is the share of paths into (i, j) that already left the band |j/n − i/m| < h/lcm,
 *   a = 1 outside the band and a(i, j) = (i·a(i−1, j) + j·a(i, j−1))/(i + j) inside. All values
 *   stay in [0, 1], so nothing overflows and no large binomial is divided at the end.
 * Returns NaN when the result falls outside [0, 1] (floating-point failure); the caller then
 * falls back to the asymptotic distribution, as scipy does.
 */

/** P(D_{n,n} ≥ h/n) for two samples of equal size n. */
export function ksExactSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let a = 1;
    for (let j = 0; j < h; j++) a = ((n - k * h - j) * a) / (n + k * h + j + 1);
    p = a * (1 - p);
  }
  return 2 * p;
}

/** P(D_{m,n} ≥ h/lcm(m, n)) for m ≠ n; g = gcd(m, n). */
export function ksExactLattice(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;

  // Column i = 0: points with j < ⌈h/mg⌉ are inside the band (0 paths have left yet), the rest out.
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  const a = new Float64Array(n + 1).fill(1);
  for (let j = 0; j < maxJ; j++) a[j] = 0;

  let minJ = 0;
  for (let i = 1; i <= m; i++) {
    // The inside band of column i: (ng·i − h)/mg < j < (ng·i + h)/mg, clipped to [0, n].
    minJ = Math.min(Math.max(floorDiv(ng * i - h, mg) + 1, 0), n);
    maxJ = Math.min(ceilDiv(ng * i + h, mg), n + 1);
    if (maxJ <= minJ) return 1;
    // a[j − 1] below the band is outside (1); at j = 0 its weight j is 0 anyway.
    let below = minJ === 0 ? 0 : 1;
    for (let j = minJ; j < maxJ; j++) {
      below = (a[j]! * i + below * j) / (i + j);
      a[j] = below;
    }
    // Entries above the band keep their initial 1 until the band reaches them.
  }
  return a[n]!;
}

function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

function ceilDiv(a: number, b: number): number {
  return Math.ceil(a / b);
}
