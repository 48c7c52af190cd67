import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateAlertSources } from '../../../collector/estimated-performance/estimate-alert-sources.js';
import { EstimateService } from '../../../collector/estimated-performance/estimate-service.js';
import { createSqliteFeedbackStore } from '../../../collector/feedback/sqlite-feedback-store.js';
import type { FeedbackRecord } from '../../../collector/feedback/feedback-types.js';
import type { SpanRecord } from '../../../shared/span-record.js';
import { makeRule } from '../alerts/alert-fixtures.js';
import { capturedSpan } from '../drift/drift-spans.js';
import { memorySpanStore } from '../support/memory-db.js';

/** The estimated_accuracy and concept_drift alert sources over a SQLite span store and feedback store. */
const T0 = Date.parse('2026-01-10T10:00:00Z');
const NOW = T0 + 60_000;
const store = memorySpanStore();
const feedback = createSqliteFeedbackStore(store.db);
const service = new EstimateService({ spans: store, feedback, maxRawSpans: 10_000 });
const sources = estimateAlertSources(service);
// 40 predictions at confidence 0.9 (p = 0.9 → class 1); the labels say class 0 for half of them.
const spans: SpanRecord[] = Array.from({ length: 40 }, (_, i) =>
  capturedSpan({
    model: 'churn',
    startMs: T0 + i * 1000,
    requestId: `r${i}`,
    inputs: { x: i },
    outputs: { label: 1, probability: 0.9 },
  }),
);
const record = (s: SpanRecord, i: number): FeedbackRecord => ({
  requestId: `r${i}`,
  row: 0,
  model: 'churn',
  version: '',
  traceId: s.traceId,
  spanId: s.spanId,
  subject: null,
  output: 'label',
  prediction: 1,
  truth: { kind: 'label', label: i % 2 },
  predictionMs: T0 + i * 1000,
  feedbackMs: NOW,
  receivedMs: NOW,
  slices: {},
});

beforeAll(async () => {
  await store.writeSpans(spans);
});
afterAll(() => store.close());

const rule = (metric: string, minCount = 10) =>
  makeRule({ id: metric, metric, model: 'churn', comparison: '<', threshold: 0.8, windowMs: 60_000, minCount });

describe('estimate alert sources', () => {
  it('estimated_accuracy reads the mean confidence without labels', async () => {
    const reading = await sources.estimated_accuracy(rule('estimated_accuracy'), NOW);
    expect(reading?.value).toBeCloseTo(0.9, 12);
    expect(reading?.cause?.count).toBe(40);
    expect(await sources.estimated_accuracy(rule('estimated_accuracy', 41), NOW)).toBeUndefined();
  });

  it('concept_drift has no data before labels, then reads 1 when realised accuracy leaves the interval', async () => {
    expect(await sources.concept_drift(rule('concept_drift'), NOW)).toBeUndefined();
    feedback.upsert(spans.map(record));
    const reading = await sources.concept_drift(rule('concept_drift'), NOW);
    expect(reading?.value).toBe(1);
    expect(reading?.cause?.details).toMatchObject({ realised: 0.5 });
    expect((reading?.cause?.details as { expected: number }).expected).toBeCloseTo(0.9, 12);
  });
});
