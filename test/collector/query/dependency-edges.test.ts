import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JaegerDependencyLink, JaegerEnvelope } from '../../../collector/jaeger/jaeger-types.js';
import type { ZipkinDependencyLink } from '../../../collector/zipkin/zipkin-types.js';
import { otlpRequest, otlpSpan } from '../support/otlp-factory.js';
import type { ReadApis } from './read-apis.js';
import { getJson, postZipkin, startReadApis } from './read-apis.js';

/**
 * The hop that matters: the sidecar's CLIENT span to a model server that sends no spans of its own
 * is an edge to its `peer.service` (for Zipkin-ingested spans, the remote endpoint's service) in
 * both dependency APIs; a callee that does send spans is one edge to its own service, not two.
 */
const SIDECAR_TRACE = '1111111111111111aaaaaaaaaaaaaaaa';
const INSTRUMENTED_TRACE = '2222222222222222bbbbbbbbbbbbbbbb';
const ZIPKIN_TRACE = '3333333333333333cccccccccccccccc';
const peer = (name: string) => ({ key: 'peer.service', value: { stringValue: name } });

let apis: ReadApis;

async function postOtlp(body: unknown): Promise<number> {
  const res = await fetch(`${apis.url}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  apis = await startReadApis();
  const statuses = [
    // sidecar → uninstrumented model server: only the sidecar's spans exist.
    await postOtlp(
      otlpRequest(
        [
          otlpSpan({ traceId: SIDECAR_TRACE, spanId: '00000000000000a1', kind: 2, name: 'POST /v2/models/iris/infer' }),
          otlpSpan({
            traceId: SIDECAR_TRACE,
            spanId: '00000000000000a2',
            parentSpanId: '00000000000000a1',
            kind: 3,
            name: 'POST',
            attributes: [peer('iris')],
          }),
        ],
        'iris-sidecar',
      ),
    ),
    // sidecar → instrumented model server whose service name differs from peer.service.
    await postOtlp(
      otlpRequest(
        [
          otlpSpan({
            traceId: INSTRUMENTED_TRACE,
            spanId: '00000000000000b1',
            kind: 2,
            name: 'POST /v2/models/fraud/infer',
          }),
          otlpSpan({
            traceId: INSTRUMENTED_TRACE,
            spanId: '00000000000000b2',
            parentSpanId: '00000000000000b1',
            kind: 3,
            name: 'POST',
            attributes: [peer('fraud')],
          }),
        ],
        'iris-sidecar',
      ),
    ),
    await postOtlp(
      otlpRequest(
        [
          otlpSpan({
            traceId: INSTRUMENTED_TRACE,
            spanId: '00000000000000b3',
            parentSpanId: '00000000000000b2',
            kind: 2,
            name: 'infer',
          }),
        ],
        'fraud-model',
      ),
    ),
  ];
  const nowUs = Date.now() * 1000;
  // Zipkin: the callee is named only by the CLIENT span's remote endpoint.
  const zipkin = await postZipkin(apis.url, [
    {
      traceId: ZIPKIN_TRACE,
      id: '00000000000000c1',
      name: 'get',
      kind: 'SERVER',
      timestamp: nowUs - 2_000_000,
      duration: 900,
      localEndpoint: { serviceName: 'web' },
    },
    {
      traceId: ZIPKIN_TRACE,
      id: '00000000000000c2',
      parentId: '00000000000000c1',
      name: 'get',
      kind: 'CLIENT',
      timestamp: nowUs - 1_999_000,
      duration: 500,
      localEndpoint: { serviceName: 'web' },
      remoteEndpoint: { serviceName: 'redis', port: 6379 },
    },
  ]);
  expect([...statuses, zipkin.status]).toEqual([200, 200, 200, 202]);
});
afterAll(() => apis.close());

const EXPECTED = [
  { parent: 'iris-sidecar', child: 'fraud-model', callCount: 1 },
  { parent: 'iris-sidecar', child: 'iris', callCount: 1 },
  { parent: 'web', child: 'redis', callCount: 1 },
];
const window = () => `endTs=${Date.now() + 60_000}&lookback=3600000`;

describe('dependency edges to callees without spans', () => {
  it('Jaeger /api/dependencies draws CLIENT → peer.service and CLIENT → remote endpoint', async () => {
    const { status, body } = await getJson<JaegerEnvelope<JaegerDependencyLink[]>>(
      `${apis.url}/jaeger/api/dependencies?${window()}`,
    );
    expect(status).toBe(200);
    expect(body.data).toEqual(EXPECTED);
  });

  it.each(['', '/zipkin'])('Zipkin %s/api/v2/dependencies draws the same edges', async (base) => {
    const { status, body } = await getJson<ZipkinDependencyLink[]>(
      `${apis.url}${base}/api/v2/dependencies?${window()}`,
    );
    expect(status).toBe(200);
    expect(body).toEqual(EXPECTED);
  });
});
