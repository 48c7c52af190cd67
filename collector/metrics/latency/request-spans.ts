import { ML } from '../../../shared/attribute-keys.js';
import type { AttributeValue, SpanRecord } from '../../../shared/span-record.js';
import type { SeriesKey } from './series-key.js';

/**
 * Which spans count as requests, for RED metrics:
 * - SERVER and CONSUMER spans always: each is one request (or message) a service handled. The
 *   sidecar's inbound span is SERVER, so every inference call counts once per serving hop.
 * - INTERNAL and UNSPECIFIED spans only when they are roots (no parent): the entry point of work
 *   that had no server instrumentation, such as a batch scoring job.
 * - CLIENT and PRODUCER spans never: they are calls made, and when the callee is traced its own
 *   SERVER/CONSUMER span counts them; counting both would count one request twice.
 */
export function isRequestSpan(span: Pick<SpanRecord, 'kind' | 'parentSpanId'>): boolean {
  switch (span.kind) {
    case 'SERVER':
    case 'CONSUMER':
      return true;
    case 'INTERNAL':
    case 'UNSPECIFIED':
      return span.parentSpanId === '';
    default:
      return false;
  }
}

/** A model name or version attribute as series text: '' when absent, numbers as printed. */
export function modelAttribute(v: AttributeValue | undefined): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** The series a request span belongs to: service name, span name, `ml.model.name`, `ml.model.version`. */
export function seriesKeyOf(span: Pick<SpanRecord, 'serviceName' | 'name' | 'attributes'>): SeriesKey {
  return {
    service: span.serviceName,
    operation: span.name,
    model: modelAttribute(span.attributes[ML.modelName]),
    version: modelAttribute(span.attributes[ML.modelVersion]),
  };
}
