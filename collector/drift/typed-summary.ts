import { CategoricalSummary } from './summaries/categorical-summary.js';
import { NumericSummary } from './summaries/numeric-summary.js';
import type { Summary } from './summaries/summary-codec.js';
import type { Cell } from './cells.js';

/**
 * Summaries whose type follows the data. A feature is numeric when its values are numbers and
 * categorical when they are strings (or booleans). When the two meet — a bucket whose values
 * changed type, or two buckets of different types merged into one window — the type with more
 * present values wins and the other side's values count as missing, so the totals stay right and
 * a feature that switched type shows up as drift (a jump in its missing rate or type_changed).
 */
export type FeatureType = 'numeric' | 'categorical';

export interface SummarySettings {
  maxCategories: number;
}

export function newSummary(type: FeatureType, settings: SummarySettings): Summary {
  return type === 'numeric' ? new NumericSummary() : new CategoricalSummary({ maxCategories: settings.maxCategories });
}

function totalOf(s: Summary): number {
  return s.count + s.missing;
}

/** A new summary holding both (neither argument changes). */
export function mergeTyped(a: Summary, b: Summary): Summary {
  const [base, other] = b.count > a.count ? [b, a] : [a, b];
  const out = base.clone();
  if (out.type === other.type) {
    // Same type: the class checks are for the compiler; the branch taken is decided by `type`.
    if (out instanceof NumericSummary && other instanceof NumericSummary) out.merge(other);
    else if (out instanceof CategoricalSummary && other instanceof CategoricalSummary) out.merge(other);
  } else out.missing += totalOf(other);
  return out;
}

/**
 * Raw cells of one feature as a typed column: the majority type's values, the others as null
 * (missing), so the statistics see the same counts a summary would.
 */
export function typedColumn(cells: readonly Cell[]): {
  type: FeatureType;
  values: (number | null)[] | (string | null)[];
} {
  let numbers = 0;
  let strings = 0;
  for (const c of cells) {
    if (typeof c === 'number') numbers++;
    else if (typeof c === 'string') strings++;
  }
  if (strings > numbers) return { type: 'categorical', values: cells.map((c) => (typeof c === 'string' ? c : null)) };
  return { type: 'numeric', values: cells.map((c) => (typeof c === 'number' ? c : null)) };
}
