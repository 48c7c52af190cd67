/**
 * A mergeable histogram with equal-width buckets [i·w, (i+1)·w), w = 2^e. It starts very fine and,
 * whenever more than `maxBins` buckets are in use, doubles w (e + 1) by merging neighbouring pairs.
 * Because every width is a power of two, all layouts nest: two histograms merge exactly by bringing
 * the finer one to the coarser width, and the result does not depend on the order of merges.
 *
 * It complements the log histogram: absolute resolution ≈ (max − min)/maxBins everywhere, so it
 * stays sharp for data far from zero with a small spread (coordinates, years, timestamps), where a
 * relative-accuracy layout is coarse; it is coarse for heavy tails, where the log layout is sharp.
 * Counts can be decremented (remove) for erasure.
 */
import type { Bucket } from './log-histogram.js';

export const DEFAULT_LINEAR_MAX_BINS = 1024;
/** Finest width 2^-64: far below any spread the statistics care about. */
const START_EXPONENT = -64;
/** Keep bucket indices exact integers: |v| / w < 2^50. */
const MAX_INDEX_BITS = 50;

export class LinearHistogram {
  exponent = START_EXPONENT;
  counts = new Map<number, number>();

  constructor(readonly maxBins: number = DEFAULT_LINEAR_MAX_BINS) {
    if (!(maxBins >= 2)) throw new RangeError('maxBins must be at least 2');
  }

  width(): number {
    return Math.pow(2, this.exponent);
  }

  index(value: number): number {
    return Math.floor(value * Math.pow(2, -this.exponent));
  }

  add(value: number, count = 1): void {
    this.fitMagnitude(value);
    const i = this.index(value);
    this.counts.set(i, (this.counts.get(i) ?? 0) + count);
    while (this.counts.size > this.maxBins) this.coarsen(this.exponent + 1);
  }

  /** Takes `count` out of the bucket holding `value`; false when it holds less than that. */
  remove(value: number, count = 1): boolean {
    const i = this.index(value);
    const have = this.counts.get(i) ?? 0;
    if (have < count) return false;
    if (have === count) this.counts.delete(i);
    else this.counts.set(i, have - count);
    return true;
  }

  merge(other: LinearHistogram): void {
    if (other.maxBins !== this.maxBins) throw new RangeError('cannot merge linear histograms with different maxBins');
    if (other.exponent > this.exponent) this.coarsen(other.exponent);
    const shift = this.exponent - other.exponent;
    const factor = Math.pow(2, shift);
    for (const [i, c] of other.counts) {
      const j = Math.floor(i / factor);
      this.counts.set(j, (this.counts.get(j) ?? 0) + c);
    }
    while (this.counts.size > this.maxBins) this.coarsen(this.exponent + 1);
  }

  coarsen(exponent: number): void {
    if (exponent <= this.exponent) return;
    const factor = Math.pow(2, exponent - this.exponent);
    const next = new Map<number, number>();
    for (const [i, c] of this.counts) {
      const j = Math.floor(i / factor);
      next.set(j, (next.get(j) ?? 0) + c);
    }
    this.counts = next;
    this.exponent = exponent;
  }

  /** Buckets in ascending order, at this histogram's width or a coarser one (2^exponent). */
  buckets(exponent: number = this.exponent): Bucket[] {
    const e = Math.max(exponent, this.exponent);
    const factor = Math.pow(2, e - this.exponent);
    const merged = new Map<number, number>();
    for (const [i, c] of this.counts) {
      const j = Math.floor(i / factor);
      merged.set(j, (merged.get(j) ?? 0) + c);
    }
    const w = Math.pow(2, e);
    return [...merged.keys()].sort((a, b) => a - b).map((i) => ({ lo: i * w, hi: (i + 1) * w, count: merged.get(i)! }));
  }

  private fitMagnitude(value: number): void {
    const magnitude = Math.abs(value);
    if (magnitude === 0) return;
    const needed = Math.ceil(Math.log2(magnitude)) - MAX_INDEX_BITS;
    if (needed > this.exponent) this.coarsen(needed);
  }
}
