import { randomSpanId, randomTraceId } from '../../../shared/ids.js';
import type { AttributeValue, SpanRecord } from '../../../shared/span-record.js';

/** Captured SERVER spans as the sidecar records them, for the drift tests. */
export interface CapturedSpanSpec {
  model?: string;
  version?: string;
  startMs: number;
  requestId?: string;
  inputs?: Record<string, AttributeValue>;
  outputs?: Record<string, AttributeValue>;
  batch?: number;
  extra?: Record<string, AttributeValue>;
  kind?: SpanRecord['kind'];
  serviceName?: string;
  traceId?: string;
}

let counter = 0;

export function capturedSpan(spec: CapturedSpanSpec): SpanRecord {
  const start = BigInt(spec.startMs) * 1_000_000n;
  const attributes: Record<string, AttributeValue> = {
    'ml.request.id': spec.requestId ?? `req-${++counter}`,
    ...(spec.model === undefined ? {} : { 'ml.model.name': spec.model }),
    ...(spec.version === undefined ? {} : { 'ml.model.version': spec.version }),
    ...(spec.batch === undefined ? {} : { 'ml.batch.size': spec.batch }),
    ...spec.extra,
  };
  for (const [k, v] of Object.entries(spec.inputs ?? {})) attributes[`ml.input.${k}`] = v;
  for (const [k, v] of Object.entries(spec.outputs ?? {})) attributes[`ml.output.${k}`] = v;
  return {
    traceId: spec.traceId ?? randomTraceId(),
    spanId: randomSpanId(),
    parentSpanId: '',
    traceState: '',
    name: 'POST /v2/models/{model}/infer',
    kind: spec.kind ?? 'SERVER',
    startTimeUnixNano: start,
    endTimeUnixNano: start + 3_000_000n,
    attributes,
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 1,
    serviceName: spec.serviceName ?? 'sidecar',
    resource: { 'service.name': spec.serviceName ?? 'sidecar', 'deployment.region': 'eu' },
    scope: { name: 'test', version: '1' },
  };
}
