import { randomTraceId } from '../../../shared/ids.js';
import type { Attributes, SpanRecord } from '../../../shared/span-record.js';
import type { FeedbackItem, FeedbackRecord, Truth } from '../../../collector/feedback/feedback-types.js';
import { makeSpan, MS } from '../storage/span-fixtures.js';

/** Spans and feedback for the feedback tests. Times are epoch milliseconds unless named otherwise. */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A round start time, so hour buckets begin exactly at T. */
export const T = Date.UTC(2025, 5, 1);

export interface PredictionSpec {
  requestId: string;
  atMs?: number;
  model?: string;
  version?: string;
  attributes?: Attributes;
  traceId?: string;
}

/** The sidecar's SERVER span of one inference call (with a CLIENT child, as the sidecar emits). */
export function predictionTrace(spec: PredictionSpec): SpanRecord[] {
  const traceId = spec.traceId ?? randomTraceId();
  const start = BigInt(spec.atMs ?? T) * MS;
  const server = makeSpan({
    traceId,
    startTimeUnixNano: start,
    endTimeUnixNano: start + 15n * MS,
    serviceName: 'fraud-sidecar',
    resource: { 'service.name': 'fraud-sidecar' },
    attributes: {
      'ml.request.id': spec.requestId,
      'ml.model.name': spec.model ?? 'fraud',
      'ml.model.version': spec.version ?? '1',
      'ml.batch.size': 1,
      ...spec.attributes,
    },
  });
  const client = makeSpan({
    traceId,
    parentSpanId: server.spanId,
    kind: 'CLIENT',
    name: 'POST',
    startTimeUnixNano: start + MS,
    endTimeUnixNano: start + 14n * MS,
    attributes: { 'ml.request.id': spec.requestId },
  });
  return [server, client];
}

export function item(requestId: string, truth: Truth, extra: Partial<FeedbackItem> = {}): FeedbackItem {
  return { requestId, row: null, truth, feedbackMs: T + DAY, receivedMs: T + DAY, ...extra };
}

export const label = (l: string | number | boolean): Truth => ({ kind: 'label', label: l });
export const value = (v: number): Truth => ({ kind: 'value', value: v });

export function record(overrides: Partial<FeedbackRecord> = {}): FeedbackRecord {
  return {
    requestId: 'r-1',
    row: 0,
    model: 'fraud',
    version: '1',
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    subject: null,
    output: 'label',
    prediction: 'yes',
    truth: label('yes'),
    predictionMs: T,
    feedbackMs: T + HOUR,
    receivedMs: T + HOUR,
    slices: { 'ml.input.region': 'eu', 'service.name': 'fraud-sidecar' },
    ...overrides,
  };
}
