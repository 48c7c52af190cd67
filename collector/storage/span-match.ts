import { ML } from '../../shared/attribute-keys.js';
import type { AttributeValue, SpanRecord } from '../../shared/span-record.js';
import { durationNano } from '../../shared/span-record.js';
import type { TraceQuery } from './span-store.js';

/**
 * The span-level half of a TraceQuery, as a pure predicate: does this one span meet every
 * condition? Every store uses it (the SQLite store after its indexes have narrowed the candidates),
 * so the stores agree on what matches.
 */

/** How a tag value compares: strings as they are, numbers and booleans as printed, others as JSON. */
export function attributeText(value: AttributeValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function spanMatches(span: SpanRecord, q: TraceQuery): boolean {
  if (q.service !== undefined && span.serviceName !== q.service) return false;
  if (q.operation !== undefined && span.name !== q.operation) return false;
  if (q.model !== undefined && attributeText(span.attributes[ML.modelName]) !== q.model) return false;
  if (q.version !== undefined && attributeText(span.attributes[ML.modelVersion]) !== q.version) return false;
  if (q.startNano !== undefined && span.startTimeUnixNano < q.startNano) return false;
  if (q.endNano !== undefined && span.startTimeUnixNano > q.endNano) return false;
  if (q.minDurationNano !== undefined || q.maxDurationNano !== undefined) {
    const d = durationNano(span);
    if (q.minDurationNano !== undefined && d < q.minDurationNano) return false;
    if (q.maxDurationNano !== undefined && d > q.maxDurationNano) return false;
  }
  for (const [key, want] of Object.entries(q.tags ?? {})) {
    const own = attributeText(span.attributes[key]);
    if (own !== want && attributeText(span.resource[key]) !== want) return false;
  }
  return true;
}
