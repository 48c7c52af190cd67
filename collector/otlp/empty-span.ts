import type { InstrumentationScope, SpanRecord } from '../../shared/span-record.js';

/** A span record with every field at its OTLP default, under its resource and scope: what both decoders fill. */
export function emptySpan(shared: {
  serviceName: string;
  resource: SpanRecord['resource'];
  scope: InstrumentationScope;
}): SpanRecord {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 'UNSPECIFIED',
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 0,
    serviceName: shared.serviceName,
    resource: shared.resource,
    scope: shared.scope,
  };
}
