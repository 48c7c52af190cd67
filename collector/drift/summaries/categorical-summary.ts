/**
 * The mergeable per-window summary of one categorical feature: a count per category, a count of
 * missing values (null/undefined), and an "other" bucket. Once `maxCategories` distinct categories
 * are held, values of categories not yet seen go to "other" (first come, first kept); a merge whose
 * union is larger keeps the most frequent `maxCategories` (ties by name) and folds the rest into
 * "other". Statistics treat "other" as one more category.
 *
 * Erasure: remove(value) decrements the value's category, or "other" when the category is not held
 * (it was folded there), or the missing count.
 */

const DEFAULT_MAX_CATEGORIES = 200;
/** The name "other" has in statistics and reports. */
export const OTHER_CATEGORY = '__other__';

export type CategoricalInput = string | null | undefined;

export interface CategoricalSummaryOptions {
  maxCategories?: number;
}

export class CategoricalSummary {
  readonly type = 'categorical';
  counts = new Map<string, number>();
  other = 0;
  missing = 0;
  readonly maxCategories: number;

  constructor(options: CategoricalSummaryOptions = {}) {
    this.maxCategories = options.maxCategories ?? DEFAULT_MAX_CATEGORIES;
    if (!(this.maxCategories >= 1)) throw new RangeError('maxCategories must be at least 1');
  }

  static fromValues(values: Iterable<CategoricalInput>, options: CategoricalSummaryOptions = {}): CategoricalSummary {
    const s = new CategoricalSummary(options);
    for (const v of values) s.add(v);
    return s;
  }

  options(): Required<CategoricalSummaryOptions> {
    return { maxCategories: this.maxCategories };
  }

  /** Present values (categories and "other"). */
  get count(): number {
    let n = this.other;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  add(value: CategoricalInput, count = 1): void {
    if (value === null || value === undefined) {
      this.missing += count;
      return;
    }
    const have = this.counts.get(value);
    if (have !== undefined) this.counts.set(value, have + count);
    else if (this.counts.size < this.maxCategories) this.counts.set(value, count);
    else this.other += count;
  }

  remove(value: CategoricalInput, count = 1): boolean {
    if (value === null || value === undefined) {
      if (this.missing < count) return false;
      this.missing -= count;
      return true;
    }
    const have = this.counts.get(value);
    if (have !== undefined) {
      if (have < count) return false;
      if (have === count) this.counts.delete(value);
      else this.counts.set(value, have - count);
      return true;
    }
    if (this.other < count) return false;
    this.other -= count;
    return true;
  }

  merge(other: CategoricalSummary): void {
    for (const [category, c] of other.counts) this.counts.set(category, (this.counts.get(category) ?? 0) + c);
    this.other += other.other;
    this.missing += other.missing;
    if (this.counts.size > this.maxCategories) {
      const ranked = [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      for (const [category, c] of ranked.slice(this.maxCategories)) {
        this.other += c;
        this.counts.delete(category);
      }
    }
  }

  clone(): CategoricalSummary {
    const copy = new CategoricalSummary(this.options());
    copy.merge(this);
    return copy;
  }

  /** Counts by category with "other" under OTHER_CATEGORY when non-zero. */
  categoryCounts(): Map<string, number> {
    const out = new Map(this.counts);
    if (this.other > 0) out.set(OTHER_CATEGORY, (out.get(OTHER_CATEGORY) ?? 0) + this.other);
    return out;
  }

  missingRate(): number {
    const total = this.count + this.missing;
    return total > 0 ? this.missing / total : 0;
  }
}
