import type Database from 'better-sqlite3';
import { ML } from '../../shared/attribute-keys.js';
import type { AttributeValue, SpanRecord } from '../../shared/span-record.js';
import { modelOf } from '../drift/captured-span.js';
import type { DriftSettings } from '../drift/drift-settings.js';
import { createSqliteDriftStores } from '../drift/sqlite-drift-store.js';
import { SummaryAccumulator } from '../drift/summary-accumulator.js';
import { removalsOf, type RemovalResult } from '../drift/summary-erasure.js';
import { featureOfAttribute } from '../drift/feature-key.js';

/**
 * Rectification (Art. 16) in the drift summaries: one captured value of a span moves out of its
 * (model, version, feature, bucket) summary and the corrected value moves in. Both go through a
 * one-value span marked `truncated`, which the summaries' own code reads as "these values only"
 * (no missing rows are counted or taken back): the removal is summary-erasure.ts's exact inverse,
 * the addition the listener's accumulator. Call it inside the transaction that rewrites the span,
 * after the pending summaries were flushed, so the old value is in the store to be taken out.
 */
export interface SummaryMove extends RemovalResult {
  added: number;
}

function oneValueSpan(span: SpanRecord, attribute: string, value: AttributeValue): SpanRecord {
  const { model, version } = modelOf(span);
  return {
    ...span,
    attributes: {
      [ML.modelName]: model,
      [ML.modelVersion]: version,
      [ML.capture]: 'truncated',
      [attribute]: value,
    },
  };
}

export function moveSummaryValue(
  db: Database.Database,
  settings: DriftSettings,
  span: SpanRecord,
  attribute: string,
  before: AttributeValue,
  after: AttributeValue,
): SummaryMove {
  const feature = featureOfAttribute(attribute);
  if (!settings.enabled || span.kind !== 'SERVER' || feature === undefined)
    return { removed: 0, notFound: 0, added: 0 };
  const store = createSqliteDriftStores(db).summaries;
  const { model, version } = modelOf(span);
  const bucketMs =
    Math.floor(Number(span.startTimeUnixNano / 1_000_000n) / settings.bucketWidthMs) * settings.bucketWidthMs;
  const stored = store
    .read({ model, version, fromMs: bucketMs, toMs: bucketMs + settings.bucketWidthMs })
    .find((r) => r.feature === feature);
  const removed = store.remove(
    removalsOf([oneValueSpan(span, attribute, before)], settings.bucketWidthMs, () => new Set()),
  );
  const accumulator = new SummaryAccumulator(settings);
  // The corrected value is typed as the stored summary is, as the listener would have.
  if (stored !== undefined) accumulator.know(model, version, feature, stored.summary.type);
  accumulator.addSpan(oneValueSpan(span, attribute, after));
  const deltas = accumulator.take();
  store.merge(deltas);
  return { ...removed, added: deltas.reduce((n, d) => n + d.summary.count + d.summary.missing, 0) };
}
