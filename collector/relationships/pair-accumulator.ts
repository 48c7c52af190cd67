import type { SpanRecord } from '../../shared/span-record.js';
import { modelOf } from '../drift/captured-span.js';
import { MAX_SERIES } from '../drift/summary-accumulator.js';
import { forEachPairRow } from './pair-rows.js';
import { PairSummary } from './summaries/pair-summary.js';

/**
 * The in-memory half of the relationship summaries: the rows of spans since the last flush, per
 * (model, version, input, output, time bucket), handed to the store by take(). A model/version
 * holds at most `maxPairs` pairs, created as they first appear (outputs outermost, pair-rows.ts);
 * the rest are counted as ignored.
 */
export interface PairAccumulatorSettings {
  bucketWidthMs: number;
  maxPairs: number;
  maxLabels: number;
}

export interface PairDelta {
  model: string;
  version: string;
  input: string;
  output: string;
  bucketMs: number;
  widthMs: number;
  summary: PairSummary;
}

export interface PairAccumulatorStats {
  spans: number;
  rows: number;
  /** Pair rows not summarised: pairs beyond maxPairs, or model/versions beyond MAX_SERIES. */
  ignoredRows: number;
}

class PairTrack {
  buckets = new Map<number, PairSummary>();
  constructor(
    readonly input: string,
    readonly output: string,
  ) {}
}

interface Series {
  model: string;
  version: string;
  /** output → input → track (null: over the cap). */
  pairs: Map<string, Map<string, PairTrack | null>>;
  size: number;
}

export class PairAccumulator {
  private readonly series = new Map<string, Series>();
  readonly stats: PairAccumulatorStats = { spans: 0, rows: 0, ignoredRows: 0 };

  constructor(private readonly settings: PairAccumulatorSettings) {}

  /** Observes one SERVER span's pair rows. */
  addSpan(span: Pick<SpanRecord, 'attributes' | 'serviceName' | 'startTimeUnixNano'>): void {
    let series: Series | null | undefined;
    let bucketMs = 0;
    let lastTrack: PairTrack | null = null;
    let lastSummary: PairSummary | undefined;
    forEachPairRow(span.attributes, (input, output, x, y) => {
      if (series === undefined) {
        series = this.seriesOf(span);
        const w = this.settings.bucketWidthMs;
        bucketMs = Math.floor(Number(span.startTimeUnixNano / 1_000_000n) / w) * w;
        this.stats.spans += 1;
      }
      const track = series === null ? null : lastTrack?.input === input && lastTrack.output === output ? lastTrack : this.track(series, input, output);
      if (track === null) {
        this.stats.ignoredRows += 1;
        return;
      }
      if (track !== lastTrack || lastSummary === undefined) {
        lastTrack = track;
        lastSummary = track.buckets.get(bucketMs);
        if (lastSummary === undefined) {
          lastSummary = new PairSummary(this.settings.maxLabels);
          track.buckets.set(bucketMs, lastSummary);
        }
      }
      lastSummary.add(x, y);
      this.stats.rows += 1;
    });
  }

  /** Every pending delta; the accumulator starts empty again. */
  take(): PairDelta[] {
    const out: PairDelta[] = [];
    const widthMs = this.settings.bucketWidthMs;
    for (const s of this.series.values()) {
      for (const byInput of s.pairs.values()) {
        for (const t of byInput.values()) {
          if (t === null) continue;
          for (const [bucketMs, summary] of t.buckets) {
            out.push({ model: s.model, version: s.version, input: t.input, output: t.output, bucketMs, widthMs, summary });
          }
          t.buckets = new Map();
        }
      }
    }
    return out;
  }

  private seriesOf(span: Pick<SpanRecord, 'attributes' | 'serviceName'>): Series | null {
    const { model, version } = modelOf(span);
    const key = `${model}\u0000${version}`;
    let s = this.series.get(key);
    if (s === undefined) {
      if (this.series.size >= MAX_SERIES) return null;
      s = { model, version, pairs: new Map(), size: 0 };
      this.series.set(key, s);
    }
    return s;
  }

  private track(series: Series, input: string, output: string): PairTrack | null {
    let byInput = series.pairs.get(output);
    if (byInput === undefined) {
      byInput = new Map();
      series.pairs.set(output, byInput);
    }
    let t = byInput.get(input);
    if (t === undefined) {
      t = series.size < this.settings.maxPairs ? new PairTrack(input, output) : null;
      if (t !== null) series.size += 1;
      // Over the cap: remembered as null so later spans skip it cheaply (it stays ignored).
      byInput.set(input, t);
    }
    return t;
  }
}
