import type { AttributeValue, SpanRecord } from '../../shared/span-record.js';
import { modelOf } from '../drift/captured-span.js';
import { MAX_SERIES } from '../drift/summary-accumulator.js';
import { ML } from '../../shared/attribute-keys.js';
import { cellAt, rowCount } from '../drift/cells.js';
import { featureOfAttribute, groupOf } from '../drift/feature-key.js';
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
  private lastBucket = Number.NaN;
  private last: PairSummary | undefined;

  constructor(
    readonly input: string,
    readonly output: string,
    private readonly maxLabels: number,
  ) {}

  summary(bucketMs: number): PairSummary {
    if (bucketMs === this.lastBucket && this.last !== undefined) return this.last;
    let s = this.buckets.get(bucketMs);
    if (s === undefined) {
      s = new PairSummary(this.maxLabels);
      this.buckets.set(bucketMs, s);
    }
    this.lastBucket = bucketMs;
    this.last = s;
    return s;
  }

  reset(): void {
    this.buckets = new Map();
    this.last = undefined;
    this.lastBucket = Number.NaN;
  }
}

/** The pairs of a span's feature attributes, resolved once per layout (the list of its feature keys). */
interface Layout {
  keys: string[];
  pairs: { track: PairTrack | null; inKey: string; outKey: string }[];
}

interface Series {
  model: string;
  version: string;
  /** output → input → track (null: over the cap). */
  pairs: Map<string, Map<string, PairTrack | null>>;
  size: number;
  /** The last span's layout: spans of one model nearly always carry the same features. */
  layout: Layout | undefined;
}

const INPUT = 1;
const OUTPUT = 2;

export class PairAccumulator {
  private readonly series = new Map<string, Series>();
  /** Attribute key → INPUT, OUTPUT or 0 (an `ml.` key that is no feature). */
  private readonly sides = new Map<string, number>();
  private readonly keys: string[] = [];
  /** The last span's model attributes and series (the hot path's shortcut, as drift's accumulator has). */
  private last: {
    model: AttributeValue | undefined;
    version: AttributeValue | undefined;
    service: string;
    series: Series | undefined;
  } = {
    model: undefined,
    version: undefined,
    service: '',
    series: undefined,
  };
  readonly stats: PairAccumulatorStats = { spans: 0, rows: 0, ignoredRows: 0 };

  constructor(private readonly settings: PairAccumulatorSettings) {}

  /** Observes one SERVER span's pair rows (the same rows as pair-rows.ts's forEachPairRow). */
  addSpan(span: Pick<SpanRecord, 'attributes' | 'serviceName' | 'startTimeUnixNano'>): void {
    const attrs = span.attributes;
    const keys = this.keys;
    let n = 0;
    let inputs = 0;
    let firstArrayLength: number | undefined;
    for (const key in attrs) {
      // Only "ml." keys; their side is looked up once per distinct key.
      if (key.charCodeAt(0) !== 109 || key.charCodeAt(1) !== 108 || key.charCodeAt(2) !== 46) continue;
      let side = this.sides.get(key);
      if (side === undefined) {
        const feature = featureOfAttribute(key);
        side = feature === undefined ? 0 : groupOf(feature) === 'output' ? OUTPUT : INPUT;
        this.sides.set(key, side);
      }
      if (side === 0) continue;
      if (side === INPUT) inputs += 1;
      const value = attrs[key];
      if (firstArrayLength === undefined && Array.isArray(value)) firstArrayLength = value.length;
      keys[n++] = key;
    }
    if (inputs === 0 || inputs === n) return;
    const series = this.seriesOf(span);
    if (series === null) return;
    this.stats.spans += 1;
    const layout = this.layoutOf(series, n);
    const w = this.settings.bucketWidthMs;
    const bucketMs = Math.floor(Number(span.startTimeUnixNano / 1_000_000n) / w) * w;
    const rows = rowCount(attrs[ML.batchSize], firstArrayLength);
    for (const p of layout.pairs) {
      if (p.track === null) {
        this.stats.ignoredRows += rows;
        continue;
      }
      const summary = p.track.summary(bucketMs);
      const xv = attrs[p.inKey];
      const yv = attrs[p.outKey];
      for (let r = 0; r < rows; r++) {
        const x = cellAt(xv, r);
        const y = cellAt(yv, r);
        if (x === undefined || y === undefined) continue;
        summary.add(x, y);
        this.stats.rows += 1;
      }
    }
  }

  private layoutOf(series: Series, n: number): Layout {
    const keys = this.keys;
    const last = series.layout;
    if (last !== undefined && last.keys.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = last.keys[i] === keys[i];
      if (same) return last;
    }
    const own = keys.slice(0, n);
    const inKeys = own.filter((k) => this.sides.get(k) === INPUT);
    const outKeys = own.filter((k) => this.sides.get(k) === OUTPUT);
    const pairs: Layout['pairs'] = [];
    for (const outKey of outKeys) {
      for (const inKey of inKeys)
        pairs.push({ track: this.track(series, inKey.slice(3), outKey.slice(3)), inKey, outKey });
    }
    series.layout = { keys: own, pairs };
    return series.layout;
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
            out.push({
              model: s.model,
              version: s.version,
              input: t.input,
              output: t.output,
              bucketMs,
              widthMs,
              summary,
            });
          }
          t.reset();
        }
      }
    }
    return out;
  }

  private seriesOf(span: Pick<SpanRecord, 'attributes' | 'serviceName'>): Series | null {
    const m = span.attributes[ML.modelName];
    const v = span.attributes[ML.modelVersion];
    const last = this.last;
    if (
      last.series !== undefined &&
      m === last.model &&
      v === last.version &&
      (m !== undefined || span.serviceName === last.service)
    )
      return last.series;
    const s = this.lookupSeries(span);
    if (s !== null) this.last = { model: m, version: v, service: span.serviceName, series: s };
    return s;
  }

  private lookupSeries(span: Pick<SpanRecord, 'attributes' | 'serviceName'>): Series | null {
    const { model, version } = modelOf(span);
    const key = `${model}\u0000${version}`;
    let s = this.series.get(key);
    if (s === undefined) {
      if (this.series.size >= MAX_SERIES) return null;
      s = { model, version, pairs: new Map(), size: 0, layout: undefined };
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
      t = series.size < this.settings.maxPairs ? new PairTrack(input, output, this.settings.maxLabels) : null;
      if (t !== null) series.size += 1;
      // Over the cap: remembered as null so later spans skip it cheaply (it stays ignored).
      byInput.set(input, t);
    }
    return t;
  }
}
