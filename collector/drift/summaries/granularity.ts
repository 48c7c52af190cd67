/**
 * The power-of-two granularity of a number: the largest e such that v is an integer multiple of 2^e
 * (0 for odd integers, −1 for 0.5, 3 for 24, about −50 for a "random" double; +Infinity for 0).
 * A summary keeps the minimum over its values: when its linear histogram's bucket width is at most
 * 2^e, every bucket holds at most one distinct value, sitting at the bucket's lower bound, so the
 * histogram is the exact distribution (integers, 0/1 flags, counts, ratings, years, halves…).
 */
const buffer = new DataView(new ArrayBuffer(8));

export function granularityExponent(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return Infinity;
  buffer.setFloat64(0, value);
  const hi = buffer.getUint32(0);
  const lo = buffer.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  // value = mantissa · 2^(exponent), mantissa a 53-bit integer (52 bits for subnormals).
  const exponent = biased === 0 ? -1074 : biased - 1075;
  const mantissaHi = biased === 0 ? hi & 0xfffff : (hi & 0xfffff) | 0x100000;
  const trailing = lo !== 0 ? countTrailingZeros(lo) : 32 + countTrailingZeros(mantissaHi);
  return exponent + trailing;
}

function countTrailingZeros(x: number): number {
  if (x === 0) return 32;
  return 31 - Math.clz32(x & -x);
}
