import { ML } from '../../shared/attribute-keys.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { modelOf } from '../drift/captured-span.js';
import type { SpanListener } from '../storage/span-listener.js';
import { isFeatureAttribute, rowValue, spanRows } from './captured-rows.js';
import { FeatureColumns } from './dataset-columns.js';

/**
 * The feature columns of each model version as spans are stored (a span listener), so an export
 * knows its columns without a first pass over the range: per feature attribute, when it was first
 * and last seen, the types of every value it had, and the order features first arrived in. The
 * set for a range is every feature seen in it (a superset of what the filtered rows hold: a column
 * may be empty); a feature's type is the widened type of all its values, in the range or not.
 *
 * In memory: it knows the spans stored since it started (`coversFromMs`: the collector's start,
 * when the database may hold older spans), and the export falls back to a first pass for a range
 * that starts earlier.
 */
interface Seen {
  output: boolean;
  order: number;
  firstMs: number;
  lastMs: number;
  types: FeatureColumns;
}

export class ColumnRegistry implements SpanListener {
  readonly name = 'dataset-columns';
  private readonly models = new Map<string, Map<string, Map<string, Seen>>>();
  private readonly redacted = new Map<string, Set<string>>();
  private order = 0;

  /** Spans stored before this time (ms, by span start) may be unknown to the registry. */
  constructor(readonly coversFromMs: number) {}

  onSpans(spans: readonly SpanRecord[]): void {
    for (const span of spans) {
      if (span.kind !== 'SERVER') continue;
      const { model, version } = modelOf(span);
      const ms = Number(span.startTimeUnixNano / 1_000_000n);
      let rows: number | undefined;
      for (const key in span.attributes) {
        if (!isFeatureAttribute(key)) {
          if (key === ML.privacyRedacted) this.noteRedacted(model, span.attributes[key]);
          continue;
        }
        rows ??= spanRows(span.attributes);
        const seen = this.entry(model, version, key, ms);
        const v = span.attributes[key];
        for (let r = 0; r < rows; r++) seen.types.observe(key, seen.output, rowValue(v, r, rows));
      }
    }
  }

  private entry(model: string, version: string, key: string, ms: number): Seen {
    let versions = this.models.get(model);
    if (versions === undefined) this.models.set(model, (versions = new Map()));
    let features = versions.get(version);
    if (features === undefined) versions.set(version, (features = new Map()));
    let seen = features.get(key);
    if (seen === undefined) {
      seen = {
        output: key.startsWith(ML.outputPrefix),
        order: this.order++,
        firstMs: ms,
        lastMs: ms,
        types: new FeatureColumns(),
      };
      features.set(key, seen);
    } else {
      if (ms < seen.firstMs) seen.firstMs = ms;
      if (ms > seen.lastMs) seen.lastMs = ms;
    }
    return seen;
  }

  private noteRedacted(model: string, value: unknown): void {
    let set = this.redacted.get(model);
    if (set === undefined) this.redacted.set(model, (set = new Set()));
    for (const v of Array.isArray(value) ? value : [value]) set.add(String(v));
  }

  /**
   * The feature columns of a model (one version, or all) in [startMs, endMs), first arrived first;
   * undefined when the range starts before the registry covers.
   */
  columns(
    model: string,
    version: string | undefined,
    startMs: number,
    endMs: number,
  ): { features: FeatureColumns; redacted: string[] } | undefined {
    if (startMs < this.coversFromMs) return undefined;
    const versions = this.models.get(model);
    const found: [string, Seen][] = [];
    for (const [v, features] of versions ?? []) {
      if (version !== undefined && v !== version) continue;
      for (const [key, seen] of features) if (seen.firstMs < endMs && seen.lastMs >= startMs) found.push([key, seen]);
    }
    found.sort((a, b) => a[1].order - b[1].order);
    const out = new FeatureColumns();
    for (const [key, seen] of found) {
      const type = seen.types.typeOf(key);
      out.observe(key, seen.output, undefined);
      out.declare(key, seen.output, type);
    }
    return { features: out, redacted: [...(this.redacted.get(model) ?? [])].sort() };
  }
}
