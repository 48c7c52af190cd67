import { randomSpanId, randomTraceId } from '../../../shared/ids.js';
import type { SpanRecord } from '../../../shared/span-record.js';

/** A valid span record that started a second before `nowNano` and took 5 ms. */
export function spanRecord(nowNano: bigint, overrides: Partial<SpanRecord> = {}): SpanRecord {
  const start = nowNano - 1_000_000_000n;
  return {
    traceId: randomTraceId(),
    spanId: randomSpanId(),
    parentSpanId: '',
    traceState: '',
    name: 'predict',
    kind: 'SERVER',
    startTimeUnixNano: start,
    endTimeUnixNano: start + 5_000_000n,
    attributes: { 'ml.request.id': 'req-1' },
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 0,
    serviceName: 'model-a',
    resource: { 'service.name': 'model-a' },
    scope: { name: 'test', version: '1' },
    ...overrides,
  };
}
