import type { SpanRecord } from '../../../shared/span-record.js';
import { makeSpan } from './span-builder.js';

/**
 * Test-only: two inference traces as infertrace stores them, timed relative to NOW.
 * Trace A (ok):   web SERVER → web CLIENT → iris-sidecar SERVER → iris-sidecar CLIENT → iris-model SERVER,
 *                 and web CLIENT "GET features" to the uninstrumented feature-store (peer.service).
 * Trace B (error): iris-sidecar SERVER → iris-sidecar CLIENT (status ERROR, model answered 500).
 */
export const NOW_NANO = 1_760_000_000_000_000_000n;
const MS = 1_000_000n;

export const TRACE_A = 'aaaaaaaaaaaaaaaa1111111111111111';
export const TRACE_B = 'bbbbbbbbbbbbbbbb2222222222222222';

function svc(name: string): Pick<SpanRecord, 'serviceName' | 'resource'> {
  return { serviceName: name, resource: { 'service.name': name } };
}

function at(startMs: bigint, durationMs: bigint): Pick<SpanRecord, 'startTimeUnixNano' | 'endTimeUnixNano'> {
  const start = NOW_NANO - 60_000n * MS + startMs * MS;
  return { startTimeUnixNano: start, endTimeUnixNano: start + durationMs * MS };
}

export function traceA(): SpanRecord[] {
  return [
    makeSpan({
      traceId: TRACE_A,
      spanId: 'a000000000000001',
      name: 'GET /predict',
      kind: 'SERVER',
      ...svc('web'),
      ...at(0n, 50n),
    }),
    makeSpan({
      traceId: TRACE_A,
      spanId: 'a000000000000002',
      parentSpanId: 'a000000000000001',
      name: 'POST',
      kind: 'CLIENT',
      ...svc('web'),
      ...at(5n, 40n),
      attributes: { 'server.address': 'iris-sidecar', 'server.port': 8080 },
    }),
    makeSpan({
      traceId: TRACE_A,
      spanId: 'a000000000000003',
      parentSpanId: 'a000000000000002',
      name: 'POST /v2/models/iris/infer',
      kind: 'SERVER',
      ...svc('iris-sidecar'),
      ...at(6n, 38n),
      attributes: { 'ml.request.id': 'req-1', 'ml.model.name': 'iris', 'ml.model.version': '3', 'ml.batch.size': 2 },
    }),
    makeSpan({
      traceId: TRACE_A,
      spanId: 'a000000000000004',
      parentSpanId: 'a000000000000003',
      name: 'POST',
      kind: 'CLIENT',
      ...svc('iris-sidecar'),
      ...at(7n, 35n),
      attributes: { 'server.address': '127.0.0.1', 'server.port': 8000 },
    }),
    makeSpan({
      traceId: TRACE_A,
      spanId: 'a000000000000005',
      parentSpanId: 'a000000000000004',
      name: 'infer',
      kind: 'SERVER',
      ...svc('iris-model'),
      ...at(8n, 30n),
    }),
    makeSpan({
      traceId: TRACE_A,
      spanId: 'a000000000000006',
      parentSpanId: 'a000000000000001',
      name: 'GET features',
      kind: 'CLIENT',
      ...svc('web'),
      ...at(1n, 3n),
      attributes: { 'peer.service': 'feature-store' },
      events: [{ timeUnixNano: NOW_NANO - 60_000n * MS + 2n * MS, name: 'cache.miss', attributes: {} }],
    }),
  ];
}

export function traceB(): SpanRecord[] {
  return [
    makeSpan({
      traceId: TRACE_B,
      spanId: 'b000000000000001',
      name: 'POST /v2/models/iris/infer',
      kind: 'SERVER',
      ...svc('iris-sidecar'),
      ...at(10_000n, 400n),
      attributes: { 'ml.request.id': 'req-2', 'ml.model.name': 'iris' },
      status: { code: 'ERROR', message: 'model answered 500' },
    }),
    makeSpan({
      traceId: TRACE_B,
      spanId: 'b000000000000002',
      parentSpanId: 'b000000000000001',
      name: 'POST',
      kind: 'CLIENT',
      ...svc('iris-sidecar'),
      ...at(10_001n, 398n),
      status: { code: 'ERROR', message: 'model answered 500' },
      attributes: { 'server.address': '127.0.0.1', 'server.port': 8000, 'http.response.status_code': 500 },
    }),
  ];
}
