/**
 * A mergeable histogram with logarithmic buckets: DDSketch's layout (Masson, Rim & Lee, VLDB 2019).
 * With γ = (1 + α)/(1 − α), a positive value v goes to bucket k = ⌈log_γ v⌉, covering (γ^(k−1), γ^k];
 * negative values mirror that in a second store; |v| < 1e-300 counts as zero. Any value in a bucket is
 * within relative error α of the bucket's midpoint, so statistics that only need values to ±α·|v|
 * are exact up to that. Each store keeps at most `binLimit` consecutive keys: when the range grows past
 * it, the lowest-magnitude keys fold into one bucket that reaches down to 0 (DDSketch's
 * "collapsing lowest" store), so memory is bounded whatever the data.
 *
 * Why not @datadog/sketches-js's DDSketch: in 2.1.1 its merge() drops the other sketch's negative
 * values and fromProto() loses count/min/max, and drift statistics need to walk the buckets anyway.
 * Counts can be decremented (remove) so one person's values can be taken out again (erasure).
 */

export const DEFAULT_RELATIVE_ACCURACY = 0.005;
export const DEFAULT_LOG_BIN_LIMIT = 2048;
const MIN_MAGNITUDE = 1e-300;

/** One bucket as an interval [lo, hi] holding `count` values (spread evenly, for estimates). */
export interface Bucket {
  lo: number;
  hi: number;
  count: number;
}

/** One sign's buckets: key → count, plus the fold floor once the key range has been capped. */
export class LogStore {
  counts = new Map<number, number>();
  /** Keys below the floor were folded into it; null while nothing has been folded. */
  floor: number | null = null;
  minKey = Infinity;
  maxKey = -Infinity;

  constructor(readonly binLimit: number) {}

  add(key: number, count: number): void {
    const k = this.floor !== null && key < this.floor ? this.floor : key;
    this.counts.set(k, (this.counts.get(k) ?? 0) + count);
    if (k > this.maxKey) this.maxKey = k;
    if (k < this.minKey) this.minKey = k;
    if (this.maxKey - this.minKey + 1 > this.binLimit) this.foldBelow(this.maxKey - this.binLimit + 1);
  }

  /** Takes `count` out of the bucket holding `key`; false when it holds less than that. */
  remove(key: number, count: number): boolean {
    const k = this.floor !== null && key < this.floor ? this.floor : key;
    const have = this.counts.get(k) ?? 0;
    if (have < count) return false;
    if (have === count) this.counts.delete(k);
    else this.counts.set(k, have - count);
    return true;
  }

  merge(other: LogStore): void {
    for (const [k, c] of other.counts) this.add(k, c);
    if (other.floor !== null && (this.floor === null || other.floor > this.floor)) this.foldBelow(other.floor);
  }

  foldBelow(floor: number): void {
    if (this.floor !== null && floor <= this.floor) return;
    let folded = 0;
    for (const [k, c] of this.counts) {
      if (k < floor) {
        folded += c;
        this.counts.delete(k);
      }
    }
    this.floor = floor;
    if (folded > 0) this.counts.set(floor, (this.counts.get(floor) ?? 0) + folded);
    this.minKey = Math.max(this.minKey, floor);
    if (this.maxKey < floor) this.maxKey = floor;
  }

  total(): number {
    let t = 0;
    for (const c of this.counts.values()) t += c;
    return t;
  }
}

export class LogHistogram {
  readonly gamma: number;
  readonly logGamma: number;
  readonly positive: LogStore;
  readonly negative: LogStore;
  zero = 0;

  constructor(
    readonly relativeAccuracy: number = DEFAULT_RELATIVE_ACCURACY,
    readonly binLimit: number = DEFAULT_LOG_BIN_LIMIT,
  ) {
    if (!(relativeAccuracy > 0 && relativeAccuracy < 1)) throw new RangeError('relativeAccuracy must be in (0, 1)');
    this.gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
    this.logGamma = Math.log(this.gamma);
    this.positive = new LogStore(binLimit);
    this.negative = new LogStore(binLimit);
  }

  key(magnitude: number): number {
    return Math.ceil(Math.log(magnitude) / this.logGamma);
  }

  add(value: number, count = 1): void {
    if (value > MIN_MAGNITUDE) this.positive.add(this.key(value), count);
    else if (value < -MIN_MAGNITUDE) this.negative.add(this.key(-value), count);
    else this.zero += count;
  }

  remove(value: number, count = 1): boolean {
    if (value > MIN_MAGNITUDE) return this.positive.remove(this.key(value), count);
    if (value < -MIN_MAGNITUDE) return this.negative.remove(this.key(-value), count);
    if (this.zero < count) return false;
    this.zero -= count;
    return true;
  }

  mergeable(other: LogHistogram): boolean {
    return other.relativeAccuracy === this.relativeAccuracy && other.binLimit === this.binLimit;
  }

  merge(other: LogHistogram): void {
    if (!this.mergeable(other))
      throw new RangeError('cannot merge log histograms with different accuracy or bin limit');
    this.positive.merge(other.positive);
    this.negative.merge(other.negative);
    this.zero += other.zero;
  }

  /**
   * All buckets in ascending value order. Optional fold floors (per sign) align this histogram with
   * another one that had to fold more: keys below a floor are reported inside the floor's bucket.
   */
  buckets(positiveFloor: number | null = null, negativeFloor: number | null = null): Bucket[] {
    const neg = foldedCounts(this.negative, negativeFloor);
    const pos = foldedCounts(this.positive, positiveFloor);
    const out: Bucket[] = [];
    for (const k of [...neg.counts.keys()].sort((a, b) => b - a)) {
      const hi = k === neg.floor ? 0 : -Math.pow(this.gamma, k - 1);
      out.push({ lo: -Math.pow(this.gamma, k), hi, count: neg.counts.get(k)! });
    }
    if (this.zero > 0) out.push({ lo: 0, hi: 0, count: this.zero });
    for (const k of [...pos.counts.keys()].sort((a, b) => a - b)) {
      const lo = k === pos.floor ? 0 : Math.pow(this.gamma, k - 1);
      out.push({ lo, hi: Math.pow(this.gamma, k), count: pos.counts.get(k)! });
    }
    return out;
  }

  bucketCount(): number {
    return this.positive.counts.size + this.negative.counts.size + (this.zero > 0 ? 1 : 0);
  }
}

function foldedCounts(store: LogStore, floor: number | null): { counts: Map<number, number>; floor: number | null } {
  const effective = store.floor === null ? floor : floor === null ? store.floor : Math.max(floor, store.floor);
  if (effective === null || effective === store.floor) return { counts: store.counts, floor: store.floor };
  const counts = new Map<number, number>();
  for (const [k, c] of store.counts) {
    const key = k < effective ? effective : k;
    counts.set(key, (counts.get(key) ?? 0) + c);
  }
  return { counts, floor: effective };
}
