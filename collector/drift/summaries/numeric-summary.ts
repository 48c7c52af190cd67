/**
 * The mergeable per-window summary of one numeric feature (per model, version, feature, time bucket):
 * count of present values, count of missing ones (null/undefined/NaN/±Infinity), min, max, mean and
 * M2 (Welford's sum of squared deviations, so variance = M2/count), and two bucketed views of the
 * distribution — a log histogram (relative accuracy α, DDSketch layout) and a power-of-two linear
 * histogram — from which the drift statistics are estimated (numeric-distribution.ts picks the
 * sharper of the two for each comparison).
 *
 * Erasure: remove(value) is the exact inverse of add(value) for the counts, buckets, mean and M2
 * (the granularity stays: it is a lower bound, which stays true).
 * min/max cannot be un-taken; when the removed value was the min or max they widen to the bounds of
 * the outermost non-empty bucket, so no removed value survives in them.
 */
import { granularityExponent } from './granularity.js';
import { DEFAULT_LINEAR_MAX_BINS, LinearHistogram } from './linear-histogram.js';
import { DEFAULT_LOG_BIN_LIMIT, DEFAULT_RELATIVE_ACCURACY, LogHistogram } from './log-histogram.js';

export interface NumericSummaryOptions {
  /** Relative accuracy α of the log histogram (default 0.005 = 0.5 %). */
  relativeAccuracy?: number;
  /** Most consecutive log buckets per sign before the smallest magnitudes fold (default 2048). */
  logBinLimit?: number;
  /** Most linear buckets before their width doubles (default 1024). */
  linearMaxBins?: number;
}

export type NumericInput = number | null | undefined;

export class NumericSummary {
  readonly type = 'numeric';
  count = 0;
  missing = 0;
  min = Infinity;
  max = -Infinity;
  mean = 0;
  m2 = 0;
  /** Every value added is a multiple of 2^granularity (granularity.ts); +Infinity when none or all 0. */
  granularity = Infinity;
  readonly log: LogHistogram;
  readonly linear: LinearHistogram;

  constructor(options: NumericSummaryOptions = {}) {
    this.log = new LogHistogram(
      options.relativeAccuracy ?? DEFAULT_RELATIVE_ACCURACY,
      options.logBinLimit ?? DEFAULT_LOG_BIN_LIMIT,
    );
    this.linear = new LinearHistogram(options.linearMaxBins ?? DEFAULT_LINEAR_MAX_BINS);
  }

  static fromValues(
    values: Iterable<NumericInput> | ArrayLike<NumericInput>,
    options: NumericSummaryOptions = {},
  ): NumericSummary {
    const s = new NumericSummary(options);
    const list =
      Symbol.iterator in Object(values)
        ? (values as Iterable<NumericInput>)
        : Array.from(values as ArrayLike<NumericInput>);
    for (const v of list) s.add(v);
    return s;
  }

  options(): Required<NumericSummaryOptions> {
    return {
      relativeAccuracy: this.log.relativeAccuracy,
      logBinLimit: this.log.binLimit,
      linearMaxBins: this.linear.maxBins,
    };
  }

  add(value: NumericInput): void {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.missing += 1;
      return;
    }
    this.count += 1;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const g = granularityExponent(value);
    if (g < this.granularity) this.granularity = g;
    this.log.add(value);
    this.linear.add(value);
  }

  /** Takes one earlier add(value) back out; false (and no change) if it cannot have been added. */
  remove(value: NumericInput): boolean {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      if (this.missing === 0) return false;
      this.missing -= 1;
      return true;
    }
    if (this.count === 0 || value < this.min || value > this.max) return false;
    if (!this.log.remove(value)) return false;
    if (!this.linear.remove(value)) {
      this.log.add(value);
      return false;
    }
    this.count -= 1;
    if (this.count === 0) {
      this.mean = 0;
      this.m2 = 0;
      this.min = Infinity;
      this.max = -Infinity;
      return true;
    }
    const oldMean = this.mean;
    this.mean = (oldMean * (this.count + 1) - value) / this.count;
    this.m2 = Math.max(0, this.m2 - (value - this.mean) * (value - oldMean));
    if (value === this.min || value === this.max) this.widenExtremes();
    return true;
  }

  merge(other: NumericSummary): void {
    this.log.merge(other.log);
    this.linear.merge(other.linear);
    this.missing += other.missing;
    this.granularity = Math.min(this.granularity, other.granularity);
    if (other.count === 0) return;
    const n = this.count + other.count;
    const delta = other.mean - this.mean;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / n;
    this.mean += (delta * other.count) / n;
    this.count = n;
    this.min = Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
  }

  clone(): NumericSummary {
    const copy = new NumericSummary(this.options());
    copy.merge(this);
    return copy;
  }

  /** Population variance (ddof = 0), matching np.std's default. */
  variance(): number {
    return this.count > 0 ? this.m2 / this.count : Number.NaN;
  }

  missingRate(): number {
    const total = this.count + this.missing;
    return total > 0 ? this.missing / total : 0;
  }

  private widenExtremes(): void {
    const logBuckets = this.log.buckets();
    const linBuckets = this.linear.buckets();
    const lows = [logBuckets[0]?.lo, linBuckets[0]?.lo].filter((v): v is number => v !== undefined);
    const highs = [logBuckets.at(-1)?.hi, linBuckets.at(-1)?.hi].filter((v): v is number => v !== undefined);
    // Each representation's outer bucket bound is a valid bound; take the tighter of the two.
    this.min = Math.max(...lows);
    this.max = Math.min(...highs);
  }
}
