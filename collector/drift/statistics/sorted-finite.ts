/** The finite values of a sample (NaN and ±Infinity are missing values), sorted ascending: what the sample tests start from. */
export function sortedFinite(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isFinite(x)) out[k++] = x;
  }
  return out.subarray(0, k).sort();
}
