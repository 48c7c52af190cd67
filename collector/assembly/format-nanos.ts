/**
 * A signed nanosecond amount as a person reads it in a warning: `+65.922ms`, `-1.5s`, `+480µs`.
 * The unit is the largest that keeps the number at or above 1; up to three decimals, no trailing zeros.
 */
export function formatNanos(ns: bigint): string {
  const sign = ns < 0n ? '-' : '+';
  const abs = Number(ns < 0n ? -ns : ns);
  const units: [number, string][] = [
    [3_600e9, 'h'],
    [60e9, 'min'],
    [1e9, 's'],
    [1e6, 'ms'],
    [1e3, 'µs'],
    [1, 'ns'],
  ];
  for (const [size, unit] of units) {
    if (abs >= size || unit === 'ns') return `${sign}${trim(abs / size)}${unit}`;
  }
  return `${sign}0ns`;
}

function trim(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}
