/**
 * Generalisation turns a number into the bucket it falls in, so a value such as an exact age stops
 * singling a person out while its distribution stays useful for drift detection.
 * - `width` buckets start at `origin` (default 0): width 10 puts 34 in "30-39".
 * - `edges` are ascending cut points: [18, 65] gives "<18", "18-64", ">=65".
 * Integer buckets are labelled "lo-hi" with hi inclusive; fractional ones "[lo,hi)".
 */
export type Generalisation =
  { kind: 'width'; width: number; origin: number } | { kind: 'edges'; edges: readonly number[] };

function tidy(n: number): number {
  return Number(n.toPrecision(12)); // hides float noise such as 0.30000000000000004
}

function label(lo: number, hi: number): string {
  return Number.isInteger(lo) && Number.isInteger(hi) ? `${lo}-${hi - 1}` : `[${lo},${hi})`;
}

export function generalise(value: number, g: Generalisation): string {
  if (g.kind === 'width') {
    const lo = g.origin + Math.floor((value - g.origin) / g.width) * g.width;
    // Integer widths and origins give exact bounds; only fractional ones need float noise removed.
    if (Number.isInteger(lo) && Number.isInteger(g.width)) return label(lo, lo + g.width);
    const tidyLo = tidy(lo);
    return label(tidyLo, tidy(tidyLo + g.width));
  }
  const { edges } = g;
  const first = edges[0];
  const last = edges[edges.length - 1];
  if (first === undefined || last === undefined) return String(value);
  if (value < first) return `<${first}`;
  if (value >= last) return `>=${last}`;
  for (let i = 0; i + 1 < edges.length; i++) {
    const lo = edges[i] as number;
    const hi = edges[i + 1] as number;
    if (value >= lo && value < hi) return label(lo, hi);
  }
  return String(value);
}

/** A number, or a string that is exactly a number; anything else cannot be generalised. */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
