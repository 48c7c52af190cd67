/**
 * The label of one value on an axis of a joint histogram. Categories are themselves (`s:` + text).
 * Numbers go to fixed logarithmic bins, so tables of any two buckets line up and merge: DDSketch's
 * layout (as drift's log histogram) with a coarse relative accuracy of 20 % — γ = 1.5, bin k of a
 * positive value covers (γ^(k−1), γ^k] — mirrored for negatives, and one bin for 0. At query time
 * these fine bins are grouped into the reference's quantile bins (joint-tables.ts), so the tests
 * see at most ~10 numeric groups whatever the data's scale.
 */
const NUMERIC_BIN_ACCURACY = 0.2;
const GAMMA = (1 + NUMERIC_BIN_ACCURACY) / (1 - NUMERIC_BIN_ACCURACY);
const LOG_GAMMA = Math.log(GAMMA);
const MIN_MAGNITUDE = 1e-300;

/** The label values beyond an axis's label cap fall into. */
export const OTHER_LABEL = 'o:';
export const CATEGORY_PREFIX = 's:';
const NUMBER_PREFIX = 'n:';

/** Labels of numeric bins made so far, by signed key (the ingest path makes each string once). */
const positive = new Map<number, string>();
const negative = new Map<number, string>();

function numberLabel(cache: Map<number, string>, sign: string, key: number): string {
  let label = cache.get(key);
  if (label === undefined) {
    label = `${NUMBER_PREFIX}${sign}${key}`;
    // Keys are bounded (|log_γ v| < 1750 for doubles), so the caches are too.
    cache.set(key, label);
  }
  return label;
}

export function axisLabel(value: number | string): string {
  if (typeof value === 'string') return CATEGORY_PREFIX + value;
  if (value > MIN_MAGNITUDE) return numberLabel(positive, '+', Math.ceil(Math.log(value) / LOG_GAMMA));
  if (value < -MIN_MAGNITUDE) return numberLabel(negative, '-', Math.ceil(Math.log(-value) / LOG_GAMMA));
  return `${NUMBER_PREFIX}0`;
}

/** A representative value of a numeric label (its bin's midpoint estimate); undefined for others. */
export function numericValueOf(label: string): number | undefined {
  if (!label.startsWith(NUMBER_PREFIX)) return undefined;
  const rest = label.slice(NUMBER_PREFIX.length);
  if (rest === '0') return 0;
  const k = Number(rest.slice(1));
  const mid = (2 * Math.pow(GAMMA, k)) / (GAMMA + 1);
  return rest.startsWith('-') ? -mid : mid;
}
