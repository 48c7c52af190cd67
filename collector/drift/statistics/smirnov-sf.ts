/**
 * Survival function of the one-sided one-sample Kolmogorov-Smirnov statistic D⁺ₙ, P(D⁺ₙ ≥ x),
 * with the same special cases as scipy.special.smirnov. The two-sided distribution uses twice this
 * value in its upper tail (see kolmogorov-sf.ts).
 *
 * The main case is the Birnbaum–Tingey (Smirnov 1944) sum
 *   P(D⁺ₙ ≥ x) = x · Σ_{v=0}^{⌊n(1−x)⌋} C(n,v) (x + v/n)^(v−1) (1 − x − v/n)^(n−v),
 * whose terms are all positive, so each term is evaluated in log space and the sum carries no
 * cancellation. n·x is split exactly into a double-double so ⌊n·x⌋ and 1 − x − v/n are exact.
 */

/** exp() of anything below this is 0 in double precision (cephes MINLOG). */
const MIN_LOG = -708.3964185322641;
/** Past this n the sum is too long; a closed-form approximation is used (as scipy does). */
const MAX_COMPUTE_N = 1_000_000;

export function smirnovSf(n: number, x: number): number {
  if (!(n > 0) || !(x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  const { floor: nxFloor, frac: alpha, hi: nxHi, lo: nxLo } = splitProduct(n, x);
  // x ≤ 1/n: P(D⁺ₙ < x) = x (1 + x)^(n−1).
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) {
    return 1 - x * Math.pow(1 + x, n - 1);
  }
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return Math.pow(1 - x, n);
  if (n > MAX_COMPUTE_N) {
    const logp = -Math.pow(6 * n * x + 1, 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp);
  }

  // Last index: ⌊n(1−x)⌋, less one when n(1−x) is an integer (that term is 0^(n−v)).
  const lastV = n - nxFloor - 1;
  let logBinom = 0; // log C(n, v)
  let sum = 0;
  for (let v = 0; v <= lastV; v++) {
    if (v > 0) logBinom += Math.log((n - v + 1) / v);
    // x + v/n = (n·x + v)/n and 1 − x − v/n = (n − v − n·x)/n, both from the exact n·x.
    const up = (nxHi + v + nxLo) / n;
    const down = (n - v - nxHi - nxLo) / n;
    const logTerm = logBinom + (v - 1) * Math.log(up) + (n - v) * Math.log(down);
    const term = Math.exp(logTerm);
    sum += term;
    // Stop once the remaining terms cannot change the sum (scipy's criterion).
    if (term > 0) {
      if (4 * (lastV - v) * term < Number.EPSILON * sum && v !== lastV) break;
    } else if (v > n / 2) {
      break;
    }
  }
  const sf = x * sum;
  return Math.min(1, Math.max(0, sf));
}

/** n·x as an exact double-double (hi + lo), with ⌊n·x⌋ and the fractional part. */
function splitProduct(n: number, x: number): { hi: number; lo: number; floor: number; frac: number } {
  const hi = n * x;
  const lo = twoProductError(n, x, hi);
  let floor = Math.floor(hi);
  if (hi === floor && lo < 0) floor -= 1;
  let frac = hi - floor + lo;
  if (frac >= 1) {
    floor += 1;
    frac = 0;
  }
  if (frac < 0) frac = 0;
  return { hi, lo, floor, frac };
}

/** The rounding error of a·b (Dekker's two-product with Veltkamp splitting). */
function twoProductError(a: number, b: number, product: number): number {
  const [aHi, aLo] = veltkamp(a);
  const [bHi, bLo] = veltkamp(b);
  return aHi * bHi - product + aHi * bLo + aLo * bHi + aLo * bLo;
}

function veltkamp(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}
