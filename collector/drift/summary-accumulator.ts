import { ML } from '../../shared/attribute-keys.js';
import type { AttributeValue, SpanRecord } from '../../shared/span-record.js';
import { CategoricalSummary } from './summaries/categorical-summary.js';
import { NumericSummary } from './summaries/numeric-summary.js';
import type { Summary } from './summaries/summary-codec.js';
import { modelOf } from './captured-span.js';
import { rowCount, toCell, type Cell } from './cells.js';
import { featureOfAttribute, groupOf } from './feature-key.js';
import { mergeTyped, newSummary, type FeatureType } from './typed-summary.js';

/**
 * The in-memory half of the drift summaries: observations of spans since the last flush, per
 * (model, version, feature, time bucket), handed to the store by take(). Every row of a call is one
 * observation; a bucket is chosen by the span's start time.
 *
 * Missing values: a null, NaN or ±Infinity value is missing, and so is a feature a span does not
 * carry although earlier spans of the same model and version did — but only when the span carries
 * other features of the same side (inputs, or outputs) and its capture was not truncated. The
 * sidecar leaves a one-row null out of the span, so "absent" is how a null arrives; a span whose
 * capture was skipped (not JSON, too large) or which has no outputs (an error answer) says nothing
 * about any feature and counts nowhere.
 */
export interface AccumulatorSettings {
  bucketWidthMs: number;
  maxFeatures: number;
  maxCategories: number;
}

/** A resolved observation delta of one summary key. */
export interface SummaryDelta {
  model: string;
  version: string;
  feature: string;
  bucketMs: number;
  widthMs: number;
  summary: Summary;
}

export interface AccumulatorStats {
  spans: number;
  observations: number;
  /** Values inside a row that were arrays or objects. */
  skippedValues: number;
  /** Features beyond maxFeatures of a model/version, or of model/versions beyond MAX_SERIES. */
  ignoredFeatures: number;
}

/** Model/version pairs tracked at most (a guard against a sender inventing versions). */
export const MAX_SERIES = 10_000;

class PendingCell {
  numeric: NumericSummary | undefined;
  categorical: CategoricalSummary | undefined;
  missing = 0;
}

class FeatureTrack {
  type: FeatureType | undefined;
  /** The span that last carried the feature. */
  stamp = -1;
  buckets = new Map<number, PendingCell>();
  lastBucket = Number.NaN;
  last: PendingCell | undefined;

  constructor(
    readonly name: string,
    readonly output: boolean,
  ) {}

  cell(bucketMs: number): PendingCell {
    if (bucketMs === this.lastBucket && this.last !== undefined) return this.last;
    let cell = this.buckets.get(bucketMs);
    if (cell === undefined) {
      cell = new PendingCell();
      this.buckets.set(bucketMs, cell);
    }
    this.lastBucket = bucketMs;
    this.last = cell;
    return cell;
  }
}

interface SeriesState {
  model: string;
  version: string;
  tracks: Map<string, FeatureTrack>;
  list: FeatureTrack[];
  /** Attribute key → its track, or null for an `ml.` key that is no feature (or one over maxFeatures). */
  byAttribute: Map<string, FeatureTrack | null>;
}

/** The hot path's shortcuts: the last span's bucket (bigint bounds, no division) and series. */
interface LastSeen {
  fromNano: bigint;
  toNano: bigint;
  bucketMs: number;
  model: AttributeValue | undefined;
  version: AttributeValue | undefined;
  service: string;
  series: SeriesState | undefined;
}

export class SummaryAccumulator {
  private readonly series = new Map<string, SeriesState>();
  private stamp = 0;
  private last: LastSeen = {
    fromNano: 1n,
    toNano: 0n,
    bucketMs: 0,
    model: undefined,
    version: undefined,
    service: '',
    series: undefined,
  };
  private readonly widthNano: bigint;
  readonly stats: AccumulatorStats = { spans: 0, observations: 0, skippedValues: 0, ignoredFeatures: 0 };

  constructor(private readonly settings: AccumulatorSettings) {
    this.widthNano = BigInt(settings.bucketWidthMs) * 1_000_000n;
  }

  /** Observes one SERVER span; false when it carries no captured feature. */
  addSpan(span: Pick<SpanRecord, 'attributes' | 'serviceName' | 'startTimeUnixNano'>): boolean {
    const attrs = span.attributes;
    const stamp = ++this.stamp;
    let series: SeriesState | undefined;
    let bucketMs = 0;
    let hasInput = false;
    let hasOutput = false;
    let firstArrayLength: number | undefined;
    for (const key in attrs) {
      // Only "ml." keys; then one map lookup by the key itself (no slicing on the hot path).
      if (key.charCodeAt(0) !== 109 || key.charCodeAt(1) !== 108 || key.charCodeAt(2) !== 46) continue;
      if (series === undefined) {
        series = this.seriesOf(span);
        if (series === undefined) return false;
        bucketMs = this.bucketOf(span.startTimeUnixNano);
      }
      let track = series.byAttribute.get(key);
      if (track === undefined) track = this.trackOfAttribute(series, key);
      if (track === null) continue;
      const value = attrs[key]!;
      if (track.output) hasOutput = true;
      else hasInput = true;
      track.stamp = stamp;
      const cell = track.cell(bucketMs);
      if (Array.isArray(value)) {
        firstArrayLength ??= value.length;
        for (let i = 0; i < value.length; i++) this.observe(track, cell, toCell(value[i]));
      } else this.observe(track, cell, toCell(value));
    }
    if (series === undefined || !(hasInput || hasOutput)) return false;
    this.stats.spans += 1;
    if (attrs[ML.capture] !== 'truncated') {
      const rows = rowCount(attrs[ML.batchSize], firstArrayLength);
      for (const track of series.list) {
        if (track.stamp === stamp || !(track.output ? hasOutput : hasInput)) continue;
        track.cell(bucketMs).missing += rows;
        this.stats.observations += rows;
      }
    }
    return true;
  }

  private bucketOf(startNano: bigint): number {
    const last = this.last;
    if (startNano >= last.fromNano && startNano < last.toNano) return last.bucketMs;
    const from = (startNano / this.widthNano) * this.widthNano;
    last.fromNano = from;
    last.toNano = from + this.widthNano;
    last.bucketMs = Number(from / 1_000_000n);
    return last.bucketMs;
  }

  private trackOfAttribute(series: SeriesState, key: string): FeatureTrack | null {
    const feature = featureOfAttribute(key);
    const track = feature === undefined ? undefined : this.track(series, feature);
    const found = track ?? null;
    // Over maxFeatures: not remembered, so the feature is counted as ignored each time it comes.
    if (track !== undefined || feature === undefined) series.byAttribute.set(key, found);
    return found;
  }

  /** Makes a feature known (e.g. from stored summaries after a restart), so its absence counts as missing. */
  know(model: string, version: string, feature: string, type: FeatureType | undefined): void {
    const series = this.seriesOf({
      attributes: { [ML.modelName]: model, [ML.modelVersion]: version },
      serviceName: model,
    });
    const track = series === undefined ? undefined : this.track(series, feature);
    if (track !== undefined) track.type ??= type;
  }

  /** Whether observations are waiting for take(). */
  hasPending(): boolean {
    for (const s of this.series.values()) for (const t of s.list) if (t.buckets.size > 0) return true;
    return false;
  }

  /** Every pending delta, resolved to one summary per key; the accumulator starts empty again. */
  take(): SummaryDelta[] {
    const out: SummaryDelta[] = [];
    const widthMs = this.settings.bucketWidthMs;
    for (const s of this.series.values()) {
      for (const t of s.list) {
        for (const [bucketMs, cell] of t.buckets) {
          out.push({
            model: s.model,
            version: s.version,
            feature: t.name,
            bucketMs,
            widthMs,
            summary: this.resolve(t, cell),
          });
        }
        t.buckets = new Map();
        t.last = undefined;
        t.lastBucket = Number.NaN;
      }
    }
    return out;
  }

  private observe(track: FeatureTrack, cell: PendingCell, c: Cell | undefined): void {
    if (c === undefined) {
      this.stats.skippedValues += 1;
      return;
    }
    this.stats.observations += 1;
    if (typeof c === 'number') {
      (cell.numeric ??= new NumericSummary()).add(c);
      track.type = 'numeric';
    } else if (typeof c === 'string') {
      (cell.categorical ??= new CategoricalSummary({ maxCategories: this.settings.maxCategories })).add(c);
      track.type = 'categorical';
    } else cell.missing += 1;
  }

  private resolve(t: FeatureTrack, cell: PendingCell): Summary {
    const typed =
      cell.numeric && cell.categorical
        ? mergeTyped(cell.numeric, cell.categorical)
        : (cell.numeric ?? cell.categorical);
    const summary = typed ?? newSummary(t.type ?? 'numeric', this.settings);
    summary.missing += cell.missing;
    return summary;
  }

  private seriesOf(span: Pick<SpanRecord, 'attributes' | 'serviceName'>): SeriesState | undefined {
    const last = this.last;
    const m = span.attributes[ML.modelName];
    const v = span.attributes[ML.modelVersion];
    if (
      last.series !== undefined &&
      m === last.model &&
      v === last.version &&
      (m !== undefined || span.serviceName === last.service)
    ) {
      return last.series;
    }
    const { model, version } = modelOf(span);
    const key = `${model}\u0000${version}`;
    let s = this.series.get(key);
    if (s === undefined) {
      if (this.series.size >= MAX_SERIES) {
        this.stats.ignoredFeatures += 1;
        return undefined;
      }
      s = { model, version, tracks: new Map(), list: [], byAttribute: new Map() };
      this.series.set(key, s);
    }
    last.model = m;
    last.version = v;
    last.service = span.serviceName;
    last.series = s;
    return s;
  }

  private track(series: SeriesState, feature: string): FeatureTrack | undefined {
    let t = series.tracks.get(feature);
    if (t === undefined) {
      if (series.list.length >= this.settings.maxFeatures) {
        this.stats.ignoredFeatures += 1;
        return undefined;
      }
      t = new FeatureTrack(feature, groupOf(feature) === 'output');
      series.tracks.set(feature, t);
      series.list.push(t);
    }
    return t;
  }
}
