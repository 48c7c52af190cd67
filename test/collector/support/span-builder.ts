import type { SpanRecord } from '../../../shared/span-record.js';

/** Test-only: a complete SpanRecord with sensible defaults, overridden field by field. */
export function makeSpan(overrides: Partial<SpanRecord> = {}): SpanRecord {
  const serviceName = overrides.serviceName ?? 'iris-sidecar';
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    parentSpanId: '',
    traceState: '',
    name: 'POST /v2/models/iris/infer',
    kind: 'SERVER',
    startTimeUnixNano: 1_706_678_909_209_712_345n,
    endTimeUnixNano: 1_706_678_909_219_835_999n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 1,
    serviceName,
    resource: { 'service.name': serviceName },
    scope: { name: 'infertrace-sidecar', version: '0.1.0' },
    ...overrides,
  };
}
