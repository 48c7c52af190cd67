/**
 * P(Dₙ ≤ d) for the two-sided one-sample Kolmogorov statistic by Durbin's matrix method in the
 * form of Marsaglia, Tsang & Wang (2003): with d = (k − h)/n, k a positive integer and 0 ≤ h < 1,
 * P(Dₙ < d) = n!/nⁿ · (Hⁿ)[k−1][k−1] for an m×m matrix H, m = 2k − 1. Powers are taken by
 * repeated squaring with a separately tracked binary exponent so nothing overflows.
 * Suits small m (n·d up to a few dozen), which is where kolmogorov-sf.ts calls it.
 */

const SCALE_EXP = 128;
const SCALE_UP = 2 ** SCALE_EXP;
const SCALE_DOWN = 2 ** -SCALE_EXP;

export function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  const H = buildMatrix(m, h);
  let power = identity(m);
  let powerExp = 0;
  let base = H;
  let baseExp = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = multiply(power, base, m);
      powerExp += baseExp;
    }
    base = multiply(base, base, m);
    baseExp *= 2;
    if (Math.abs(base[(k - 1) * m + (k - 1)]!) > SCALE_UP) {
      scaleInPlace(base, SCALE_DOWN);
      baseExp += SCALE_EXP;
    }
  }

  let p = power[(k - 1) * m + (k - 1)]!;
  // Multiply by n!/nⁿ one factor at a time, rescaling before anything underflows.
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      powerExp -= SCALE_EXP;
    }
  }
  if (powerExp !== 0) p *= 2 ** powerExp;
  return Math.min(1, Math.max(0, p));
}

/**
 * H[i][j] = 1/(i−j+1)! where i−j+1 ≥ 0 (else 0); the first column is (1 − h^(i+1))/(i+1)!, the last
 * row is its reverse, and the corner is (1 − 2hᵐ + max(0, 2h−1)ᵐ)/m!.
 */
function buildMatrix(m: number, h: number): Float64Array {
  const invFactorial = new Float64Array(m + 1);
  invFactorial[0] = 1;
  for (let j = 1; j <= m; j++) invFactorial[j] = invFactorial[j - 1]! / j;
  const v = new Float64Array(m);
  for (let j = 0; j < m; j++) v[j] = (1 - Math.pow(h, j + 1)) * invFactorial[j + 1]!;
  v[m - 1] = (1 - 2 * Math.pow(h, m) + Math.pow(Math.max(2 * h - 1, 0), m)) * invFactorial[m]!;

  const H = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 1; j < m; j++) {
      const q = i - j + 1;
      if (q >= 0) H[i * m + j] = invFactorial[q]!;
    }
    H[i * m] = v[i]!;
  }
  for (let j = 0; j < m; j++) H[(m - 1) * m + j] = v[m - 1 - j]!;
  return H;
}

function identity(m: number): Float64Array {
  const I = new Float64Array(m * m);
  for (let i = 0; i < m; i++) I[i * m + i] = 1;
  return I;
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      const rowB = k * m;
      const rowOut = i * m;
      for (let j = 0; j < m; j++) out[rowOut + j]! += aik * b[rowB + j]!;
    }
  }
  return out;
}

function scaleInPlace(a: Float64Array, factor: number): void {
  for (let i = 0; i < a.length; i++) a[i]! *= factor;
}
