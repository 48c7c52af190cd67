/**
 * The one grammar for sizes, durations and points in time, used by every flag, environment
 * variable and HTTP parameter (docs/errors.md, "Units"). Each parser returns undefined for text
 * that is not of its kind; callers name the setting or parameter in their message.
 */

/**
 * A size in bytes: a bare number is bytes; `k`, `M`, `G`, `T` (any case, with or without `B`:
 * `kB`, `MB`, `16GB`) count in 1000s; `Ki`, `Mi`, `Gi`, `Ti` (with or without `B`: `KiB`, `64MiB`)
 * in 1024s, as in Kubernetes. `1.5GB` is allowed; the result is rounded to a whole byte.
 */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(i)?)?b?\s*$/i.exec(text);
  if (!m) return undefined;
  const power = m[2] === undefined ? 0 : 'kmgt'.indexOf(m[2].toLowerCase()) + 1;
  const base = m[3] === undefined ? 1000 : 1024;
  return Math.round(Number(m[1]) * base ** power);
}

/** Examples for messages about sizes. */
export const SIZE_HINT = 'such as 512KiB, 64MiB or 16GB (k, M, G, T count in 1000s; Ki, Mi, Gi, Ti in 1024s)';

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86400e3,
};

/**
 * A duration in milliseconds: a number with one unit of `ns`, `us` (`µs`), `ms`, `s`, `m`
 * (minutes), `h`, `d` (`250ms`, `1.5s`, `10m`, `7d`), or a bare number of milliseconds.
 */
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (DURATION_UNITS[m[2] ?? 'ms'] as number);
}

// Epoch milliseconds reach 14 digits in the year 5138; longer numbers are micro- or nanoseconds.
const EPOCH_MS = /^\d{1,14}$/;
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * A point in time as epoch milliseconds: epoch milliseconds (up to 14 digits), or an RFC 3339 /
 * ISO 8601 time (`2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.250+02:00`, `2024-05-01 12:00`,
 * `2024-05-01`; without a zone, UTC). Impossible dates (2024-02-31) are refused.
 */
export function parseInstantMs(text: string): number | undefined {
  if (EPOCH_MS.test(text)) return Number(text);
  const iso = ISO_8601.exec(text);
  if (!iso) return undefined;
  const [, date, time, zone] = iso;
  const ms = Date.parse(`${date}T${time ?? '00:00'}${zone ?? 'Z'}`);
  if (Number.isNaN(ms) || !isCalendarDate(date as string)) return undefined;
  return ms;
}

/** Examples for messages about points in time; `got` adds a hint when the text looks like micro- or nanoseconds. */
export function instantHint(got?: string): string {
  const tooLong =
    got !== undefined && /^\d{15,}$/.test(got) ? ' (that looks like micro- or nanoseconds; give milliseconds)' : '';
  return `epoch milliseconds (e.g. 1718000000000) or an RFC 3339 time (e.g. 2024-06-10T06:13:20Z)${tooLong}`;
}

// Date.parse rolls 2024-02-31 over into March; such a date is a mistake, not a time.
function isCalendarDate(date: string): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, d));
  return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
}
