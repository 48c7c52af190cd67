import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SidecarHandle } from '../../../sidecar/main.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { headerValues, startTestSidecar } from '../support/sidecar-harness.js';
import { startEchoUpstream, type TestUpstream } from '../support/upstream.js';

const SERVER = 2;
const CLIENT = 3;
const ERROR = 2;
const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const P = '00f067aa0ba902b7';

let receiver: OtlpReceiver;
let upstream: TestUpstream;

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

function spansOf(traceId: string): Promise<ReceivedSpan[]> {
  return receiver
    .waitFor((all) => all.filter((s) => s.traceId === traceId).length >= 2)
    .then((all) => all.filter((s) => s.traceId === traceId));
}

describe('spans of one inference call', () => {
  let sidecar: SidecarHandle;
  beforeAll(async () => {
    sidecar = await startTestSidecar(
      upstream.url,
      exportEnv({
        OTEL_SERVICE_NAME: 'credit-model',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test,team=ml%20platform',
      }),
    );
  });
  afterAll(() => sidecar.close());

  it('emits a SERVER span for the inbound call and a CLIENT span for the model call, with HTTP and ML attributes', async () => {
    const body = '{"inputs":[]}';
    const res = await request(`${sidecar.url}/v2/models/credit/versions/7/infer?debug=1`, {
      method: 'POST',
      body,
      headers: {
        traceparent: `00-${T}-${P}-01`,
        'x-request-id': 'req-123',
        'user-agent': 'test-agent/1.0',
        'content-type': 'application/json',
      },
    });
    const echo = (await res.body.json()) as { rawHeaders: string[] };
    const spans = await spansOf(T);
    const server = spans.find((s) => s.kind === SERVER) as ReceivedSpan;
    const client = spans.find((s) => s.kind === CLIENT) as ReceivedSpan;

    expect(server.parentSpanId).toBe(P);
    expect(client.parentSpanId).toBe(server.spanId);
    // The model server is told the CLIENT span is its parent; the caller is told the SERVER span.
    expect(headerValues(echo.rawHeaders, 'traceparent')).toEqual([`00-${T}-${client.spanId}-01`]);
    expect(res.headers['server-timing']).toBe(`trace;desc=00-${T}-${server.spanId}-01`);

    expect(server.name).toBe('POST /v2/models/{model}/versions/{version}/infer');
    expect(server.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.path': '/v2/models/credit/versions/7/infer',
      'url.query': 'debug=1',
      'url.scheme': 'http',
      'http.route': '/v2/models/{model}/versions/{version}/infer',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
      'client.address': '127.0.0.0/24', // generalised by default 'user_agent.original': 'test-agent/1.0',
      'http.request.body.size': body.length,
      'ml.request.id': 'req-123',
      'ml.model.name': 'credit',
      'ml.model.version': '7',
    });
    expect(server.attributes['http.response.body.size']).toBeGreaterThan(0);
    expect(client.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': `${upstream.url}/v2/models/credit/versions/7/infer?debug=1`,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(upstream.url).port),
      'http.response.status_code': 200,
      'http.request.body.size': body.length,
    });
    expect(server.status.code).not.toBe(ERROR);
    expect(server.resource).toMatchObject({
      'service.name': 'credit-model',
      'deployment.environment': 'test',
      team: 'ml platform',
    });
  });

  it.each([
    ['/v1/models/resnet:predict', 'resnet', undefined, '/v1/models/{model}:predict'],
    ['/v1/models/resnet/versions/3:predict', 'resnet', '3', '/v1/models/{model}/versions/{version}:predict'],
    ['/v2/models/bert/infer', 'bert', undefined, '/v2/models/{model}/infer'],
  ])('names the model of %s', async (path, model, version, route) => {
    const traceId = `${T.slice(0, 28)}${String(path.length).padStart(4, '0')}`;
    await (
      await request(`${sidecar.url}${path}`, {
        method: 'POST',
        body: '{}',
        headers: { traceparent: `00-${traceId}-${P}-01` },
      })
    ).body.dump();
    const server = (await spansOf(traceId)).find((s) => s.kind === SERVER) as ReceivedSpan;
    expect(server.attributes['ml.model.name']).toBe(model);
    expect(server.attributes['ml.model.version']).toBe(version);
    expect(server.attributes['http.route']).toBe(route);
  });

  it('generates a UUID v4 request id when none (or an invalid one) is sent, and returns it', async () => {
    for (const sent of [undefined, 'has space', 'x'.repeat(201)]) {
      const traceId = `${T.slice(0, 30)}${sent === undefined ? 'a0' : sent.length > 100 ? 'a1' : 'a2'}`;
      const res = await request(`${sidecar.url}/x`, {
        headers: { traceparent: `00-${traceId}-${P}-01`, ...(sent ? { 'x-request-id': sent } : {}) },
      });
      const echo = (await res.body.json()) as { rawHeaders: string[] };
      const id = res.headers['x-request-id'] as string;
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(headerValues(echo.rawHeaders, 'x-request-id')).toEqual([id]);
      const server = (await spansOf(traceId)).find((s) => s.kind === SERVER) as ReceivedSpan;
      expect(server.attributes['ml.request.id']).toBe(id);
    }
  });
});

describe('sampling', () => {
  it('honours a sampled parent under a ratio of 0, and exports nothing for unsampled calls', async () => {
    const sidecar = await startTestSidecar(
      upstream.url,
      exportEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }),
    );
    try {
      const unsampled: string[] = [];
      for (const headers of [{}, { traceparent: `00-${'1'.repeat(32)}-${P}-00` }, { b3: '0' }]) {
        const res = await request(`${sidecar.url}/a`, { headers });
        const echo = (await res.body.json()) as { rawHeaders: string[] };
        const tp = headerValues(echo.rawHeaders, 'traceparent')[0] as string;
        expect(tp.endsWith('-00') || tp.endsWith('-02')).toBe(true);
        unsampled.push(tp.split('-')[1] as string);
      }
      const sampledTrace = '2'.repeat(32);
      await (await request(`${sidecar.url}/b`, { headers: { traceparent: `00-${sampledTrace}-${P}-01` } })).body.dump();
      await spansOf(sampledTrace);
      expect(receiver.spans.filter((s) => unsampled.includes(s.traceId))).toEqual([]);
    } finally {
      await sidecar.close();
    }
  });

  it('forces sampling for a B3 debug request and tells the model so', async () => {
    const sidecar = await startTestSidecar(upstream.url, exportEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }));
    try {
      const bt = '3'.repeat(32);
      const res = await request(`${sidecar.url}/d`, { headers: { b3: `${bt}-${'4'.repeat(16)}-d` } });
      const echo = (await res.body.json()) as { rawHeaders: string[] };
      expect(headerValues(echo.rawHeaders, 'x-b3-flags')).toEqual(['1']);
      expect(headerValues(echo.rawHeaders, 'b3')).toEqual([]);
      expect(await spansOf(bt)).toHaveLength(2);
    } finally {
      await sidecar.close();
    }
  });
});

describe('OTLP encodings', () => {
  /** The two spans of one call through a sidecar exporting with `protocol` (undefined: the default). */
  async function exportedWith(
    protocol: string | undefined,
    traceId: string,
  ): Promise<{ spans: ReceivedSpan[]; media: string[] }> {
    const before = receiver.mediaTypes.length;
    const sidecar = await startTestSidecar(
      upstream.url,
      exportEnv({
        OTEL_SERVICE_NAME: 'enc',
        ...(protocol ? { OTEL_EXPORTER_OTLP_PROTOCOL: protocol } : {}),
      }),
    );
    try {
      await (
        await request(`${sidecar.url}/v2/models/m/versions/2/infer?q=1`, {
          method: 'POST',
          body: '{"inputs":[]}',
          headers: {
            traceparent: `00-${traceId}-${P}-01`,
            'x-request-id': 'enc-1',
            'content-type': 'application/json',
          },
        })
      ).body.dump();
      const spans = await spansOf(traceId);
      return { spans, media: [...new Set(receiver.mediaTypes.slice(before))] };
    } finally {
      await sidecar.close();
    }
  }

  /** What must not differ between encodings: everything but ids that are new per call and times. */
  const comparable = (s: ReceivedSpan): Record<string, unknown> => ({
    name: s.name,
    kind: s.kind,
    parent: s.parentSpanId === P ? 'caller' : 'server',
    status: s.status,
    events: s.events,
    resource: s.resource,
    attributes: {
      ...s.attributes,
      'client.address': undefined,
      'server.port': undefined,
      'url.full': undefined,
      'http.response.body.size': undefined,
    },
  });

  it('sends protobuf by default and JSON when asked, with the same spans in both', async () => {
    const proto = await exportedWith(undefined, '5'.repeat(32));
    const json = await exportedWith('http/json', '6'.repeat(32));
    expect(proto.media).toEqual(['application/x-protobuf']);
    expect(json.media).toEqual(['application/json']);
    const byKind = (spans: ReceivedSpan[]): Record<string, unknown>[] =>
      [...spans].sort((a, b) => a.kind - b.kind).map(comparable);
    expect(byKind(proto.spans)).toEqual(byKind(json.spans));
    expect(byKind(proto.spans)[0]).toMatchObject({
      name: 'POST /v2/models/{model}/versions/{version}/infer',
      attributes: { 'ml.request.id': 'enc-1', 'http.response.status_code': 200 },
    });
  });
});
