import type { SpanRecord } from '../../../shared/span-record.js';

/** Query-test data: sidecar-shaped inference traces (SERVER with ml.*, CLIENT, model server span). */

export const MS = 1_000_000n;
export const T0 = 1_714_564_800_000_000_000n; // 2024-05-01T12:00:00Z, beyond 2^53 ns

let counter = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export interface InferenceOptions {
  traceId?: string;
  requestId?: string;
  start?: bigint;
  durationMs?: bigint;
  model?: string;
  version?: string;
  service?: string;
  error?: boolean;
}

export function inferenceTrace(o: InferenceOptions = {}): SpanRecord[] {
  counter++;
  const traceId = o.traceId ?? `${hex(counter, 8)}${'ab'.repeat(12)}`;
  const start = o.start ?? T0;
  const duration = (o.durationMs ?? 20n) * MS;
  const service = o.service ?? 'iris-sidecar';
  const ids = [1, 2, 3].map((k) => `${hex(counter, 8)}${hex(k, 8)}`);
  const base = (over: Partial<SpanRecord>): SpanRecord => ({
    traceId,
    spanId: '',
    parentSpanId: '',
    traceState: '',
    name: '',
    kind: 'INTERNAL',
    startTimeUnixNano: start,
    endTimeUnixNano: start,
    attributes: {},
    events: [],
    links: [],
    status: { code: 'UNSET', message: '' },
    flags: 1,
    serviceName: service,
    resource: { 'service.name': service, 'host.name': 'node-1' },
    scope: { name: 'infertrace-sidecar', version: '0.1.0' },
    ...over,
  });
  const server = base({
    spanId: ids[0]!,
    name: 'POST /v2/models/{model}/infer',
    kind: 'SERVER',
    endTimeUnixNano: start + duration,
    attributes: {
      'http.request.method': 'POST',
      'http.response.status_code': o.error ? 500 : 200,
      'ml.request.id': o.requestId ?? `req-${counter}`,
      'ml.model.name': o.model ?? 'iris',
      'ml.model.version': o.version ?? '1',
      'ml.protocol': 'oip-v2',
      'ml.batch.size': 2,
      'ml.input.sepal_length': [5.1, 6.2],
      'ml.input.species_hint': ['setosa', 'virginica'],
      'ml.output.label': [0, 2],
      'ml.capture': 'full',
      'enduser.pseudo.id': 'p-123',
    },
    status: o.error ? { code: 'ERROR', message: 'upstream answered 500' } : { code: 'UNSET', message: '' },
  });
  const client = base({
    spanId: ids[1]!,
    parentSpanId: ids[0]!,
    name: 'POST',
    kind: 'CLIENT',
    startTimeUnixNano: start + 1n * MS,
    endTimeUnixNano: start + duration - 1n * MS,
    attributes: { 'http.request.method': 'POST', 'server.address': 'localhost' },
  });
  const model = base({
    spanId: ids[2]!,
    parentSpanId: ids[1]!,
    name: 'infer',
    kind: 'SERVER',
    serviceName: 'triton',
    resource: { 'service.name': 'triton', 'host.name': 'node-1' },
    startTimeUnixNano: start + 2n * MS,
    endTimeUnixNano: start + duration - 2n * MS,
    events: [{ timeUnixNano: start + 3n * MS, name: 'batch.scheduled', attributes: { 'queue.depth': 1 } }],
    status: o.error ? { code: 'ERROR', message: 'CUDA out of memory' } : { code: 'OK', message: '' },
  });
  return [server, client, model];
}
