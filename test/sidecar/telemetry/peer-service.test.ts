import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SidecarHandle } from '../../../sidecar/main.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { startTestSidecar } from '../support/sidecar-harness.js';
import { closedPortUrl, startEchoUpstream, type TestUpstream } from '../support/upstream.js';

/**
 * `peer.service` on the CLIENT span (sidecar → model), through a real sidecar on loopback and the
 * test OTLP receiver: what Jaeger's and Zipkin's dependency graphs draw the model's node from.
 */

const SERVER = 2;
const CLIENT = 3;
const P = '00f067aa0ba902b7';

let receiver: OtlpReceiver;
let upstream: TestUpstream;
let traces = 0;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  upstream = await startEchoUpstream();
});
afterAll(async () => {
  await upstream.close();
  await receiver.close();
});

const exportEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
  ...extra,
});

/** Sends one call in a trace of its own; returns the trace's SERVER and CLIENT spans. */
async function call(sidecar: SidecarHandle, path: string): Promise<{ server: ReceivedSpan; client: ReceivedSpan }> {
  traces += 1;
  const traceId = `${'5'.repeat(24)}${String(traces).padStart(8, '0')}`;
  await (
    await request(`${sidecar.url}${path}`, {
      method: 'POST',
      body: '{}',
      headers: { traceparent: `00-${traceId}-${P}-01` },
    })
  ).body.dump();
  const spans = await receiver
    .waitFor((all) => all.filter((s) => s.traceId === traceId).length >= 2)
    .then((all) => all.filter((s) => s.traceId === traceId));
  return {
    server: spans.find((s) => s.kind === SERVER) as ReceivedSpan,
    client: spans.find((s) => s.kind === CLIENT) as ReceivedSpan,
  };
}

describe('peer.service by default', () => {
  let sidecar: SidecarHandle;
  beforeAll(async () => {
    sidecar = await startTestSidecar(upstream.url, exportEnv());
  });
  afterAll(() => sidecar.close());

  it.each([
    ['OIP v2', '/v2/models/credit/versions/7/infer', 'credit'],
    ['TF Serving', '/v1/models/resnet:predict', 'resnet'],
    ['Seldon behind its ingress', '/seldon/prod/income/api/v1.0/predictions', 'income'],
    ['an escaped model name', '/v2/models/fraud%20v2/infer', 'fraud v2'],
  ])('is the model the path names (%s)', async (_kind, path, model) => {
    const { server, client } = await call(sidecar, path);
    expect(client.attributes['peer.service']).toBe(model);
    expect(server.attributes['peer.service']).toBeUndefined();
  });

  it.each([['/invocations'], ['/api/v1.0/predictions'], ['/predict']])(
    'is the upstream host when %s names no model',
    async (path) => {
      const { client } = await call(sidecar, path);
      expect(client.attributes['peer.service']).toBe(new URL(upstream.url).hostname);
      expect(client.attributes['server.address']).toBe(new URL(upstream.url).hostname);
    },
  );
});

describe('peer.service configured', () => {
  let sidecar: SidecarHandle;
  beforeAll(async () => {
    sidecar = await startTestSidecar(upstream.url, exportEnv({ INFERTRACE_PEER_SERVICE: 'triton-gpu' }));
  });
  afterAll(() => sidecar.close());

  it.each([['/v2/models/credit/infer'], ['/predict']])('is the configured name for %s', async (path) => {
    const { client } = await call(sidecar, path);
    expect(client.attributes['peer.service']).toBe('triton-gpu');
  });
});

it('is on the CLIENT span of a call the model server never answered', async () => {
  const sidecar = await startTestSidecar(await closedPortUrl(), exportEnv());
  try {
    const { client } = await call(sidecar, '/v2/models/credit/infer');
    expect(client.status.code).toBe(2);
    expect(client.attributes['peer.service']).toBe('credit');
  } finally {
    await sidecar.close();
  }
});
