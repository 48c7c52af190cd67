import { ML } from '../../shared/attribute-keys.js';
import type { SpanRecord } from '../../shared/span-record.js';
import { modelOf } from './captured-span.js';
import { cellAt, rowCount, type Cell } from './cells.js';
import { attributeOfFeature, featureOfAttribute, groupOf } from './feature-key.js';

/**
 * Erasure of a data subject (GDPR Art. 17) from the drift summaries: what to take back out of which
 * stored summary for a set of spans — the exact inverse of what the listener added (pure). Each
 * captured value is removed from its (model, version, feature, bucket) summary; a known feature the
 * span lacked (on a side it carried, capture not truncated) gives back its missing rows. "Known"
 * is judged by the features stored for that bucket, which is what the listener knew unless the
 * feature first appeared later in the same bucket; a missing count is no personal data, and a
 * removal that finds nothing to take is counted, not forced.
 */
export interface SummaryRemoval {
  model: string;
  version: string;
  feature: string;
  bucketMs: number;
  values: Cell[];
  missing: number;
}

export interface RemovalResult {
  /** Values (and missing rows) taken out. */
  removed: number;
  /** Those no summary held (already erased, expired, or never summarised). */
  notFound: number;
}

/** Stored feature names of a (model, version, bucket), to tell which absent features counted. */
export type KnownFeatures = (model: string, version: string, bucketMs: number) => ReadonlySet<string>;

export function removalsOf(
  spans: readonly SpanRecord[],
  bucketWidthMs: number,
  known: KnownFeatures,
): SummaryRemoval[] {
  const out = new Map<string, SummaryRemoval>();
  const entry = (model: string, version: string, feature: string, bucketMs: number): SummaryRemoval => {
    const key = `${model}\u0000${version}\u0000${feature}\u0000${bucketMs}`;
    let r = out.get(key);
    if (r === undefined) {
      r = { model, version, feature, bucketMs, values: [], missing: 0 };
      out.set(key, r);
    }
    return r;
  };
  for (const span of spans) {
    if (span.kind !== 'SERVER') continue;
    const features = Object.keys(span.attributes)
      .map(featureOfAttribute)
      .filter((f): f is string => f !== undefined);
    if (features.length === 0) continue;
    const { model, version } = modelOf(span);
    const startMs = Number(span.startTimeUnixNano / 1_000_000n);
    const bucketMs = Math.floor(startMs / bucketWidthMs) * bucketWidthMs;
    let firstArrayLength: number | undefined;
    for (const feature of features) {
      const value = span.attributes[attributeOfFeature(feature)]!;
      const r = entry(model, version, feature, bucketMs);
      if (Array.isArray(value)) {
        firstArrayLength ??= value.length;
        for (let i = 0; i < value.length; i++) {
          const c = cellAt(value, i);
          if (c !== undefined) r.values.push(c);
        }
      } else {
        const c = cellAt(value, 0);
        if (c !== undefined) r.values.push(c);
      }
    }
    if (span.attributes[ML.capture] === 'truncated') continue;
    const rows = rowCount(span.attributes[ML.batchSize], firstArrayLength);
    const sides = new Set(features.map(groupOf));
    const present = new Set(features);
    for (const feature of known(model, version, bucketMs)) {
      if (!present.has(feature) && sides.has(groupOf(feature)))
        entry(model, version, feature, bucketMs).missing += rows;
    }
  }
  return [...out.values()];
}

/**
 * Takes one removal out of a summary (in place). A value of the other type was counted as missing
 * when it arrived (typed-summary.ts), so it is taken back as missing.
 */
export function applyRemoval(
  summary: { type: 'numeric' | 'categorical'; remove(v: never): boolean },
  r: SummaryRemoval,
): RemovalResult {
  const result: RemovalResult = { removed: 0, notFound: 0 };
  const take = (v: Cell): void => {
    const own = summary.type === 'numeric' ? typeof v === 'number' : typeof v === 'string';
    const ok = (summary.remove as (v: Cell) => boolean)(own ? v : null);
    if (ok) result.removed += 1;
    else result.notFound += 1;
  };
  for (const v of r.values) take(v);
  for (let i = 0; i < r.missing; i++) take(null);
  return result;
}
