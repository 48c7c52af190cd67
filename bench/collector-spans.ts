import { randomBytes, randomUUID } from 'node:crypto';
import type { Attributes, SpanRecord } from '../shared/span-record.js';

/**
 * Realistic sidecar traces for the collector benchmarks: a SERVER span with ~25 attributes (HTTP
 * semantic conventions, ml.* including four input features and two outputs, a request id, for one
 * in four a pseudonymous subject) and its CLIENT child with ~10, from 8 services and 4 models.
 */
const MODELS = ['iris', 'fraud', 'churn', 'ranker'] as const;
const SERVICES = Array.from({ length: 8 }, (_, i) => `model-sidecar-${i}`);

const resources: Attributes[] = SERVICES.map((name, i) => ({
  'service.name': name,
  'service.version': '1.4.2',
  'service.instance.id': `pod-${i}-7f9c6d`,
  'host.name': `node-${i % 3}`,
  'k8s.pod.name': `${name}-7f9c6d-x${i}`,
  'k8s.namespace.name': 'serving',
  'telemetry.sdk.name': 'opentelemetry',
  'telemetry.sdk.language': 'nodejs',
  'telemetry.sdk.version': '2.12.1',
}));
const scope = { name: 'infertrace-sidecar', version: '0.1.0' };

export interface GeneratedTrace {
  spans: SpanRecord[];
  requestId: string;
  subject: string | undefined;
}

let counter = 0;

/** One inference trace (2 spans) starting at `startNano`. */
export function makeInferenceTrace(startNano: bigint): GeneratedTrace {
  const n = counter++;
  const ids = randomBytes(32);
  const traceId = ids.toString('hex', 0, 16);
  const serverId = ids.toString('hex', 16, 24);
  const clientId = ids.toString('hex', 24, 32);
  const svc = n % SERVICES.length;
  const model = MODELS[n % MODELS.length] as string;
  const requestId = randomUUID();
  const subject = n % 4 === 0 ? `hmac-${(n % 50_000).toString(16).padStart(12, '0')}` : undefined;
  const durationNs = BigInt(2_000_000 + (n % 97) * 150_000);
  const features: Attributes = {
    'ml.input.sepal_length': 4.3 + (n % 36) / 10,
    'ml.input.sepal_width': 2 + (n % 24) / 10,
    'ml.input.petal_length': 1 + (n % 59) / 10,
    'ml.input.petal_width': 0.1 + (n % 25) / 10,
    'ml.output.label': ['setosa', 'versicolor', 'virginica'][n % 3] as string,
    'ml.output.score': 0.5 + (n % 50) / 100,
  };
  const server: SpanRecord = {
    traceId,
    spanId: serverId,
    parentSpanId: '',
    traceState: '',
    name: `POST /v2/models/{model}/infer`,
    kind: 'SERVER',
    startTimeUnixNano: startNano,
    endTimeUnixNano: startNano + durationNs,
    attributes: {
      'http.request.method': 'POST',
      'url.path': `/v2/models/${model}/infer`,
      'url.scheme': 'http',
      'http.route': '/v2/models/{model}/infer',
      'http.response.status_code': n % 200 === 0 ? 500 : 200,
      'server.address': 'localhost',
      'server.port': 8080,
      'client.address': `10.0.${n % 7}.${n % 250}`,
      'user_agent.original': 'python-requests/2.32.3',
      'network.protocol.version': '1.1',
      'http.request.body.size': 180 + (n % 40),
      'http.response.body.size': 96,
      'ml.request.id': requestId,
      'ml.model.name': model,
      'ml.model.version': String(1 + (n % 3)),
      'ml.protocol': 'oip-v2',
      'ml.batch.size': 1,
      'ml.capture': 'full',
      ...features,
      ...(subject === undefined ? {} : { 'enduser.pseudo.id': subject }),
    },
    events: [],
    links: [],
    status: n % 200 === 0 ? { code: 'ERROR', message: 'model answered 500' } : { code: 'UNSET', message: '' },
    flags: 1,
    serviceName: SERVICES[svc] as string,
    resource: resources[svc] as Attributes,
    scope,
  };
  const client: SpanRecord = {
    ...server,
    spanId: clientId,
    parentSpanId: serverId,
    name: 'POST',
    kind: 'CLIENT',
    startTimeUnixNano: startNano + 300_000n,
    endTimeUnixNano: startNano + durationNs - 200_000n,
    attributes: {
      'http.request.method': 'POST',
      'url.full': `http://127.0.0.1:9000/v2/models/${model}/infer`,
      'server.address': '127.0.0.1',
      'server.port': 9000,
      'http.response.status_code': n % 200 === 0 ? 500 : 200,
      'network.protocol.version': '1.1',
      'http.request.body.size': 180 + (n % 40),
      'http.response.body.size': 96,
    },
    status: { code: 'UNSET', message: '' },
  };
  return { spans: [server, client], requestId, subject };
}

/**
 * Batches of `batchSize` spans (whole traces), one trace every 40 µs from `startNano` — each
 * started up to 5 s before that (the OpenTelemetry batch processor exports every 5 s, so an
 * export mixes spans of the last few seconds, and senders interleave).
 */
export function makeBatches(
  count: number,
  batchSize: number,
  startNano: bigint,
): { batches: SpanRecord[][]; traces: GeneratedTrace[] } {
  const batches: SpanRecord[][] = [];
  const traces: GeneratedTrace[] = [];
  let t = startNano;
  for (let b = 0; b < count; b++) {
    const batch: SpanRecord[] = [];
    while (batch.length < batchSize) {
      const trace = makeInferenceTrace(t - BigInt(Math.floor(Math.random() * 5e9)));
      t += 40_000n;
      traces.push(trace);
      batch.push(...trace.spans);
    }
    batches.push(batch);
  }
  return { batches, traces };
}

/** Reads `--name value` options. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

export function stringArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
