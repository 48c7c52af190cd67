/**
 * Go's duration syntax (time.ParseDuration), which Jaeger's query API uses for minDuration and
 * maxDuration: one or more decimal numbers, each with a unit, e.g. "1.2s", "100ms", "1h30m".
 * Units: ns, us (µs, μs), ms, s, m, h. A bare "0" is allowed. Returns nanoseconds, or undefined.
 */
const UNIT_NANOS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

export function parseGoDuration(text: string): bigint | undefined {
  if (text === '0') return 0n;
  if (!/^(\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))*$/.test(text)) {
    return undefined;
  }
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(m[1]) * (UNIT_NANOS[m[2] as string] as number);
  }
  return Number.isFinite(total) ? BigInt(Math.round(total)) : undefined;
}

/**
 * A look-back as the Jaeger UI sends it ("1h", "2d", "7d") or in Go syntax; undefined for
 * "custom" or anything else unreadable. Returns nanoseconds.
 */
export function parseLookback(text: string): bigint | undefined {
  const days = /^(\d+)d$/.exec(text);
  if (days?.[1] !== undefined) return BigInt(days[1]) * 86_400_000_000_000n;
  return parseGoDuration(text);
}
