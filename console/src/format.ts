/** Times in the browser's zone; UTC in the title (shown on hover). */
export function localTime(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function utcTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function num(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e6)) return value.toExponential(2);
  return Number(value.toFixed(digits)).toString();
}

export function pct(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)} %`;
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}

/** Ranges the pickers offer, in milliseconds. */
export const RANGES: Record<string, number> = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

/** A step that gives a readable chart for the range (hourly for days: whole drift buckets). */
export function stepFor(range: string): string {
  const r = RANGES[range] ?? RANGES['1h']!;
  if (r <= 15 * 60_000) return '1m';
  if (r <= 3_600_000) return '5m';
  if (r <= 6 * 3_600_000) return '15m';
  return '1h';
}

/** A coarser step for the small charts in table rows: about 24 points. */
export function sparkStepFor(range: string): string {
  return range === '7d' ? '7h' : stepFor(range);
}
