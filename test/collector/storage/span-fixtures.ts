import { randomSpanId, randomTraceId } from '../../../shared/ids.js';
import type { SpanRecord } from '../../../shared/span-record.js';

/** Span records for storage tests: a full, realistic record with every field set, then overrides. */

export const T0 = 1_750_000_000_000_000_000n; // a nanosecond timestamp beyond 2^53: must round-trip exactly
export const MS = 1_000_000n;

export function makeSpan(overrides: Partial<SpanRecord> = {}): SpanRecord {
  const start = overrides.startTimeUnixNano ?? T0;
  return {
    traceId: randomTraceId(),
    spanId: randomSpanId(),
    parentSpanId: '',
    traceState: '',
    name: 'POST /v2/models/{model}/infer',
    kind: 'SERVER',
    startTimeUnixNano: start,
    endTimeUnixNano: start + 12n * MS + 345n,
    attributes: {
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    },
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 1,
    serviceName: 'iris-sidecar',
    resource: { 'service.name': overrides.serviceName ?? 'iris-sidecar', 'host.name': 'node-1' },
    scope: { name: 'infertrace-sidecar', version: '0.1.0' },
    ...overrides,
  };
}

/** A sidecar-shaped trace: SERVER span (request id, model, features) and its CLIENT child. */
export function makeInferenceTrace(
  opts: {
    traceId?: string;
    start?: bigint;
    requestId?: string;
    subject?: string;
    service?: string;
    model?: string;
    version?: string;
    error?: boolean;
    durationMs?: bigint;
  } = {},
): SpanRecord[] {
  const traceId = opts.traceId ?? randomTraceId();
  const start = opts.start ?? T0;
  const duration = (opts.durationMs ?? 20n) * MS;
  const service = opts.service ?? 'iris-sidecar';
  const attributes: SpanRecord['attributes'] = {
    'http.request.method': 'POST',
    'url.path': `/v2/models/${opts.model ?? 'iris'}/infer`,
    'http.response.status_code': opts.error ? 500 : 200,
    'ml.request.id': opts.requestId ?? `req-${traceId.slice(0, 8)}`,
    'ml.model.name': opts.model ?? 'iris',
    'ml.model.version': opts.version ?? '1',
    'ml.protocol': 'oip-v2',
    'ml.batch.size': 1,
    'ml.input.sepal_length': 5.1,
    'ml.input.species_hint': 'setosa',
    'ml.output.label': 0,
  };
  if (opts.subject !== undefined) attributes['enduser.pseudo.id'] = opts.subject;
  const server = makeSpan({
    traceId,
    serviceName: service,
    resource: { 'service.name': service },
    startTimeUnixNano: start,
    endTimeUnixNano: start + duration,
    attributes,
    status: opts.error ? { code: 'ERROR', message: 'upstream answered 500' } : { code: 'UNSET', message: '' },
  });
  const client = makeSpan({
    traceId,
    parentSpanId: server.spanId,
    name: 'POST',
    kind: 'CLIENT',
    serviceName: service,
    resource: { 'service.name': service },
    startTimeUnixNano: start + 1n * MS,
    endTimeUnixNano: start + duration - 1n * MS,
    attributes: { 'http.request.method': 'POST', 'server.address': 'model', 'server.port': 8080 },
  });
  return [server, client];
}

/** Sorts spans so stores that return them in different orders compare equal. */
export function sortSpans(spans: SpanRecord[]): SpanRecord[] {
  return [...spans].sort((a, b) => `${a.spanId}${a.kind}`.localeCompare(`${b.spanId}${b.kind}`));
}
