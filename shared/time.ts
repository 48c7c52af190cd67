/** Time conversions. Spans keep nanoseconds as bigint; APIs and UIs speak micro- or milliseconds. */

export const NANOS_PER_MICRO = 1_000n;
export const NANOS_PER_MILLI = 1_000_000n;

/** Nanoseconds (bigint) to microseconds (number), rounded down; exact for any date before year 2255. */
export function nanoToMicros(ns: bigint): number {
  return Number(ns / NANOS_PER_MICRO);
}

export function nanoToMillis(ns: bigint): number {
  return Number(ns) / 1e6;
}

export function microsToNano(us: number): bigint {
  return BigInt(Math.round(us)) * NANOS_PER_MICRO;
}

export function millisToNano(ms: number): bigint {
  return BigInt(Math.round(ms * 1_000)) * NANOS_PER_MICRO;
}

/** Wall-clock now in nanoseconds (millisecond resolution). */
export function nowNano(): bigint {
  return BigInt(Date.now()) * NANOS_PER_MILLI;
}
