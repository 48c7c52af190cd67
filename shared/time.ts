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

/**
 * Parses a duration such as `250ms`, `1.5s`, `10m`, `2h`, `7d`, `100us` or a bare number of
 * milliseconds. Returns milliseconds, or undefined when the text is not a duration.
 */
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  const unit = m[2] ?? 'ms';
  const factor: Record<string, number> = {
    ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3,
  };
  return value * (factor[unit] as number);
}
