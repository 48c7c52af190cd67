/**
 * Mergeable co-moments of a numeric pair (x, y): count, both means, both sums of squared
 * deviations (M2) and the sum of cross deviations (C), from which Pearson's r follows. Updated with
 * Welford's scheme and merged with Chan et al.'s pairwise formulas, so a long stream or a merge of
 * many buckets does not lose precision the way raw sums of squares would (cancellation).
 *
 * Erasure: remove(x, y) undoes an add(x, y) — the update run backwards (exact up to rounding).
 */
export interface CoMomentsState {
  count: number;
  meanX: number;
  meanY: number;
  m2x: number;
  m2y: number;
  cxy: number;
}

export class CoMoments implements CoMomentsState {
  count = 0;
  meanX = 0;
  meanY = 0;
  m2x = 0;
  m2y = 0;
  cxy = 0;

  static from(state: CoMomentsState): CoMoments {
    return Object.assign(new CoMoments(), state);
  }

  static fromPairs(xs: ArrayLike<number>, ys: ArrayLike<number>): CoMoments {
    const m = new CoMoments();
    for (let i = 0; i < xs.length; i++) m.add(xs[i]!, ys[i]!);
    return m;
  }

  add(x: number, y: number): void {
    this.count += 1;
    const dx = x - this.meanX;
    this.meanX += dx / this.count;
    const dy = y - this.meanY;
    this.meanY += dy / this.count;
    this.m2x += dx * (x - this.meanX);
    this.m2y += dy * (y - this.meanY);
    this.cxy += dx * (y - this.meanY);
  }

  /** Takes one earlier add(x, y) back out; false (and no change) when nothing is left to take. */
  remove(x: number, y: number): boolean {
    if (this.count === 0) return false;
    if (this.count === 1) {
      this.clear();
      return true;
    }
    const n = this.count;
    const meanX = (n * this.meanX - x) / (n - 1);
    const meanY = (n * this.meanY - y) / (n - 1);
    // add() computed m2 += (x − mean_before)(x − mean_after) and c += (x − meanX_before)(y − meanY_after).
    this.m2x = Math.max(0, this.m2x - (x - meanX) * (x - this.meanX));
    this.m2y = Math.max(0, this.m2y - (y - meanY) * (y - this.meanY));
    this.cxy -= (x - meanX) * (y - this.meanY);
    this.meanX = meanX;
    this.meanY = meanY;
    this.count = n - 1;
    return true;
  }

  merge(other: CoMomentsState): void {
    if (other.count === 0) return;
    if (this.count === 0) {
      Object.assign(this, { ...pick(other) });
      return;
    }
    const n = this.count + other.count;
    const dx = other.meanX - this.meanX;
    const dy = other.meanY - this.meanY;
    const weight = (this.count * other.count) / n;
    this.m2x += other.m2x + dx * dx * weight;
    this.m2y += other.m2y + dy * dy * weight;
    this.cxy += other.cxy + dx * dy * weight;
    this.meanX += (dx * other.count) / n;
    this.meanY += (dy * other.count) / n;
    this.count = n;
  }

  clone(): CoMoments {
    return CoMoments.from(pick(this));
  }

  state(): CoMomentsState {
    return pick(this);
  }

  /** Pearson's r (scipy.stats.pearsonr's statistic); NaN with fewer than 2 pairs or a constant side. */
  pearson(): number {
    if (this.count < 2 || !(this.m2x > 0) || !(this.m2y > 0)) return Number.NaN;
    const r = this.cxy / Math.sqrt(this.m2x * this.m2y);
    return Math.max(-1, Math.min(1, r));
  }

  private clear(): void {
    Object.assign(this, { count: 0, meanX: 0, meanY: 0, m2x: 0, m2y: 0, cxy: 0 });
  }
}

function pick(s: CoMomentsState): CoMomentsState {
  return { count: s.count, meanX: s.meanX, meanY: s.meanY, m2x: s.m2x, m2y: s.m2y, cxy: s.cxy };
}
