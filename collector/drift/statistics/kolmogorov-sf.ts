/**
 * Survival function of the two-sided one-sample Kolmogorov statistic, P(Dₙ ≥ x): scipy's
 * `kstwo.sf(x, n)`, which ks_2samp uses for its asymptotic p-value. The method for each (n, x)
 * follows Simard & L'Ecuyer (2011) with scipy's cut-offs, so the two agree to ~1e-12:
 * - n·x ≤ 1 and n·x ≥ n − 1: Ruben & Gambino's closed forms;
 * - x ≥ 0.5, or large n·x²: twice the one-sided Smirnov tail (exact there);
 * - small n: Durbin's matrix (n·x² ≤ 0.754693) or Pomeranz's recursion (n·x² ≤ 4);
 * - large n: Durbin's matrix when n·x^1.5 ≤ 1.4 and n ≤ 100000, else the Pelz–Good expansion.
 */
import { kolmogorovCdfDurbin } from './kolmogorov-durbin.js';
import { kolmogorovCdfPomeranz } from './kolmogorov-pomeranz.js';
import { smirnovSf } from './smirnov-sf.js';

export function kolmogorovSf(n: number, x: number): number {
  if (Number.isNaN(n) || Number.isNaN(x)) return Number.NaN;
  if (!Number.isInteger(n) || n <= 0) return Number.NaN;
  if (x >= 1) return 0;
  // Below the support's lower end (1/(2n)) the statistic always exceeds x.
  if (x <= 0.5 / n) return 1;
  const t = n * x;
  if (t <= 1) {
    const cdf = n <= 140 ? rubenGambinoProduct(n, t) : Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - x, n));
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));

  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return clip(1 - kolmogorovCdfDurbin(n, x));
    if (nx2 <= 4) return clip(1 - kolmogorovCdfPomeranz(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x));
  if (n <= 100000 && n * Math.pow(x, 1.5) <= 1.4) return clip(1 - kolmogorovCdfDurbin(n, x));
  return clip(1 - pelzGoodCdf(n, x));
}

/** P(Dₙ ≤ x) = n!/nⁿ (2t − 1)ⁿ for 1/(2n) ≤ x ≤ 1/n, as a product of n factors (i/n)(2t − 1). */
function rubenGambinoProduct(n: number, t: number): number {
  let p = 1;
  for (let i = 1; i <= n; i++) p *= i * (1 / n) * (2 * t - 1);
  return p;
}

/**
 * log(n!/nⁿ) by Stirling's series with the n·log n term removed up front:
 * ½log n − n + ½log 2π + Σ_{j=1..8} B₂ⱼ / (2j(2j−1) n^(2j−1)).
 */
const STIRLING = bernoulliStirlingCoefficients();
function logFactorialOverPower(n: number): number {
  const r = 1 / n;
  const r2 = r * r;
  let series = 0;
  for (let j = STIRLING.length - 1; j >= 0; j--) series = series * r2 + STIRLING[j]!;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + r * series;
}

/** B₂ⱼ/(2j(2j−1)) for j = 1..8, from the Bernoulli numbers B₂..B₁₆. */
function bernoulliStirlingCoefficients(): number[] {
  const b = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510];
  return b.map((bj, i) => bj / (2 * (i + 1) * (2 * (i + 1) - 1)));
}

/**
 * The Pelz–Good (1976) approximation to P(Dₙ ≤ x): the Li-Chien/Korolyuk expansion
 * K₀(z) + K₁(z)/√n + K₂(z)/n + K₃(z)/n^1.5 at z = x√n, rewritten through Jacobi theta identities
 * into sums over odd integers that converge fast for small z.
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const pi2 = Math.PI * Math.PI;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const logQ = -pi2 / 8 / z2;
  if (logQ < -708) return 0;
  const q = Math.exp(logQ);

  const k1a = -z2;
  const k1b = pi2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4;
  const k2c = (pi4 * (1 - 2 * z2)) / 16;
  const k3d = (pi6 * (5 - 30 * z2)) / 64;
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z4 * z4;

  // Σ_k c(2k−1) q^((2k−1)²) evaluated Horner-style in q^(8k), innermost term first.
  const K = [0, 0, 0, 0];
  const maxK = Math.ceil((16 * z) / Math.PI);
  for (let k = maxK; k >= 1; k--) {
    const m = 2 * k - 1;
    const m2 = m * m;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qk = Math.pow(q, 8 * k);
    const c = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) K[i] = K[i]! * qk + c[i]!;
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI);
  const denominators = [z, 6 * z4, 72 * z4 * z2 * z, 6480 * z4 * z6];
  for (let i = 0; i < 4; i++) K[i] = (K[i]! * q * sqrt2pi) / denominators[i]!;

  // The remaining terms run over all integers k: K₂ gets π²k² q'^(k²), K₃ (3π²k²z² − π⁴k⁴) q'^(k²).
  const q2 = Math.exp(-pi2 / 2 / z2);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxK; k >= 1; k--) {
    const k2 = k * k;
    const w = Math.pow(q2, k2);
    const kpi = Math.PI * k;
    k2extra += k2 * w;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * w;
  }
  K[2] = K[2]! + (k2extra * pi2 * sqrt2pi) / (-36 * z2 * z);
  K[3] = K[3]! + (k3extra * pi2 * sqrt2pi) / (216 * z6);

  return K[0]! + K[1]! / Math.sqrt(n) + K[2]! / n + K[3]! / Math.pow(n, 1.5);
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
