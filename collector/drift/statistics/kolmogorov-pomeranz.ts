/**
 * P(Dₙ ≤ x) for the two-sided one-sample Kolmogorov statistic by Pomeranz's recursion (1974):
 * 2n + 1 rows, each the truncated convolution of the previous row with one of three Poisson-like
 * weight sequences ((g/n)ʲ/j!, (2g/n)ʲ/j!, ((1−2g)/n)ʲ/j!) where t = n·x = ℓ + f and g = min(f, 1−f).
 * Only a band of each row can be non-zero; its ends come from ℓ, ⌈f⌉ and round(f) as in the paper.
 * The answer is n! times the last row's entry n. Used for small n (≤ 140) where Durbin's matrix
 * method would be large.
 */

const SCALE_EXP = 128;
const SCALE_UP = 2 ** SCALE_EXP;
const SCALE_DOWN = 2 ** -SCALE_EXP;

export function kolmogorovCdfPomeranz(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const width = 2 * (ll + 1);

  const gPow = weights(width, g / n);
  const twoGPow = weights(width, (2 * g) / n);
  const oneMinusTwoGPow = weights(width, (1 - 2 * g) / n);

  // Rows are stored densely over their band: row[c − start] holds column c.
  let prev = new Float64Array(width + 1);
  let next = new Float64Array(width + 1);
  prev[0] = 1;
  let prevStart = 0;
  let [bandLo, bandHi] = band(0, n, ll, ceilF, roundF);
  let exponent = 0;

  for (let i = 1; i <= 2 * n + 1; i++) {
    const prevLo = bandLo;
    [bandLo, bandHi] = band(i, n, ll, ceilF, roundF);
    const pw = i === 1 || i === 2 * n + 1 ? gPow : i % 2 === 1 ? twoGPow : oneMinusTwoGPow;
    next.fill(0);
    let nextStart = prevStart;
    if (bandHi - prevLo + 1 > 0) {
      let max = 0;
      for (let c = bandLo; c <= bandHi; c++) {
        // new[c] = Σ_{c' = prevLo..c} old[c'] · w[c − c']
        let s = 0;
        for (let cp = Math.max(prevLo, c - width + 1); cp <= c; cp++) {
          const old = prev[cp - prevStart];
          if (old === undefined || old === 0) continue;
          s += old * pw[c - cp]!;
        }
        next[c - bandLo] = s;
        if (s > max) max = s;
      }
      if (max > 0 && max < SCALE_DOWN) {
        for (let j = 0; j < next.length; j++) next[j]! *= SCALE_UP;
        exponent -= SCALE_EXP;
      }
      nextStart = bandLo;
    }
    [prev, next] = [next, prev];
    prevStart = nextStart;
  }

  let answer = prev[n - prevStart] ?? 0;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE_UP) {
      answer *= SCALE_DOWN;
      exponent += SCALE_EXP;
    }
    answer *= m;
  }
  if (exponent !== 0) answer *= 2 ** exponent;
  return Math.min(1, Math.max(0, answer));
}

/** w[j] = rᵐ/j! for j < count (Poisson weights without the e^(−r) factor). */
function weights(count: number, r: number): Float64Array {
  const w = new Float64Array(count);
  w[0] = 1;
  for (let j = 1; j < count; j++) w[j] = (w[j - 1]! * r) / j;
  return w;
}

/** The columns of row i that can be non-zero, clipped to [0, n]. */
function band(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let lo: number;
  let hi: number;
  if (i === 0) {
    lo = -ll - ceilF - 1;
    hi = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        lo = n - ll - ceilF - 1;
        hi = n + ll + ceilF - 1;
      } else {
        lo = half - 1 - ll - roundF - 1;
        hi = half + ll - 1 + ceilF - 1;
      }
    } else {
      lo = half - 1 - ll - 1;
      hi = half + ll + roundF - 1;
    }
  }
  return [Math.max(lo + 2, 0), Math.min(hi, n)];
}
