import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZipkinSpan } from '../../../collector/zipkin/zipkin-types.js';
import type { ReadApis } from '../query/read-apis.js';
import { getJson, postZipkin, startReadApis } from '../query/read-apis.js';

/**
 * What the Zipkin Lens image's recipe calls, as zipkin-server answers it: the API under /zipkin as
 * well as at the root (reads and the POST), /zipkin/config.json, and /health.
 */
const TRACE = 'eeeeeeeeeeeeeeee5555555555555555';
const nowUs = Date.now() * 1000;
let storeUp = true;
let apis: ReadApis;

beforeAll(async () => {
  apis = await startReadApis({
    health: () => (storeUp ? { ok: true } : { ok: false, error: 'the span database cannot be opened' }),
  });
});
afterAll(() => apis.close());

describe('the /zipkin prefix', () => {
  it('takes spans at POST /zipkin/api/v2/spans and answers them at both paths', async () => {
    const span = {
      traceId: TRACE,
      id: '0000000000000001',
      name: 'get',
      kind: 'SERVER',
      timestamp: nowUs - 5_000_000,
      duration: 10,
      localEndpoint: { serviceName: 'lens-demo' },
    };
    expect((await postZipkin(apis.url, [span], '/zipkin/api/v2/spans')).status).toBe(202);
    for (const base of ['', '/zipkin']) {
      expect((await getJson<string[]>(`${apis.url}${base}/api/v2/services`)).body).toEqual(['lens-demo']);
      expect((await getJson<string[]>(`${apis.url}${base}/api/v2/spans?serviceName=lens-demo`)).body).toEqual(['get']);
      const trace = await getJson<ZipkinSpan[]>(`${apis.url}${base}/api/v2/trace/${TRACE}`);
      expect(trace.body.map((s) => s.id)).toEqual(['0000000000000001']);
      const found = await getJson<ZipkinSpan[][]>(
        `${apis.url}${base}/api/v2/traces?serviceName=lens-demo&lookback=3600000`,
      );
      expect(found.body.map((t) => t[0]?.traceId)).toEqual([TRACE]);
    }
  });

  it('answers an unknown trace under the prefix with the same JSON 404', async () => {
    const { status, body } = await getJson<{ error: { code: string } }>(
      `${apis.url}/zipkin/api/v2/trace/ffffffffffffffff`,
    );
    expect(status).toBe(404);
    expect(body.error.code).toBe('trace_not_found');
  });
});

describe('/zipkin/config.json', () => {
  it("serves Lens's UI settings under the names Lens reads", async () => {
    const { status, body } = await getJson<Record<string, unknown>>(`${apis.url}/zipkin/config.json`);
    expect(status).toBe(200);
    expect(body).toEqual({
      environment: '',
      queryLimit: 10,
      defaultLookback: 900_000,
      searchEnabled: true,
      dependency: { enabled: true, lowErrorRate: 0.5, highErrorRate: 0.75 },
    });
  });
});

describe('/health', () => {
  it("answers UP in zipkin-server's shape while the store works", async () => {
    storeUp = true;
    const { status, body } = await getJson<unknown>(`${apis.url}/health`);
    expect(status).toBe(200);
    expect(body).toEqual({ status: 'UP', zipkin: { status: 'UP', details: { SpanStore: { status: 'UP' } } } });
  });

  it('answers DOWN with 503 and the reason while the store is unavailable', async () => {
    storeUp = false;
    const { status, body } = await getJson<unknown>(`${apis.url}/health`);
    expect(status).toBe(503);
    expect(body).toEqual({
      status: 'DOWN',
      zipkin: {
        status: 'DOWN',
        details: { SpanStore: { status: 'DOWN', details: { error: 'the span database cannot be opened' } } },
      },
    });
    storeUp = true;
  });
});
