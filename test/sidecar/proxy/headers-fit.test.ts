import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { SidecarHandle } from '../../../sidecar/main.js';
import { headerPairs, startTestSidecar } from '../support/sidecar-harness.js';
import { startEchoUpstream, type TestUpstream } from '../support/upstream.js';

/**
 * Headers that fit: baggage within the W3C limit (8,192 bytes) once made the model answer 431,
 * because every entry was also copied into an `uberctx-` header. Now `uberctx-` copies are written
 * only when the caller sent Jaeger baggage (or when configured), and the injected headers stay within
 * --max-injected-headers (10 KiB): over it, copies are dropped and counted, and the call goes on.
 * The test model is node:http with its default 16 KiB header limit.
 */
const BOUND = 10 * 1024;
const INJECTED = /^(traceparent|tracestate|b3|x-b3-.*|uber-trace-id|uberctx-.*|baggage)$/;

let sidecar: SidecarHandle | undefined;
let upstream: TestUpstream | undefined;
afterEach(async () => {
  await sidecar?.close();
  await upstream?.close();
});

/** Baggage entries `k0=vvv…,k1=vvv…` adding up to `bytes` characters. */
function entries(bytes: number, size = 100): [string, string][] {
  const out: [string, string][] = [];
  let total = 0;
  for (let i = 0; total < bytes; i++) {
    const key = `k${i}`;
    const value = 'v'.repeat(Math.min(size, bytes - total - key.length - 2));
    out.push([key, value]);
    total += key.length + 1 + value.length + 1;
  }
  return out;
}

async function call(headers: Record<string, string>): Promise<{ status: number; modelHeaders: [string, string][] }> {
  const res = await request(`${(sidecar as SidecarHandle).url}/v2/models/m/infer`, {
    method: 'POST',
    body: '{}',
    headers,
  });
  const text = await res.body.text();
  const modelHeaders =
    res.statusCode === 200 ? headerPairs((JSON.parse(text) as { rawHeaders: string[] }).rawHeaders) : [];
  return { status: res.statusCode, modelHeaders };
}

const injectedBytes = (headers: [string, string][]): number =>
  headers.filter(([k]) => INJECTED.test(k)).reduce((n, [k, v]) => n + k.length + v.length + 4, 0);

async function droppedMetric(): Promise<number> {
  const text = await (await request(`${(sidecar as SidecarHandle).adminUrl}/metrics`)).body.text();
  const line = text.split('\n').find((l) => l.startsWith('infertrace_sidecar_injected_headers_dropped_total'));
  return Number(line?.split(' ').pop());
}

describe('injected headers that fit', () => {
  it('W3C baggage of 8,100 bytes reaches the model once, without uberctx- copies, and the call succeeds', async () => {
    upstream = await startEchoUpstream();
    sidecar = await startTestSidecar(upstream.url);
    const baggage = entries(8100)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    expect(baggage.length).toBeGreaterThanOrEqual(8090);
    const { status, modelHeaders } = await call({ baggage });
    expect(status).toBe(200);
    expect(modelHeaders.filter(([k]) => k.startsWith('uberctx-'))).toEqual([]);
    expect(modelHeaders.find(([k]) => k === 'baggage')?.[1].length).toBe(baggage.length);
    expect(injectedBytes(modelHeaders)).toBeLessThanOrEqual(BOUND);
    expect(await droppedMetric()).toBe(0);
  });

  it('Jaeger baggage of 8,100 bytes: copies over the bound are dropped and counted, and the call succeeds', async () => {
    upstream = await startEchoUpstream();
    sidecar = await startTestSidecar(upstream.url);
    const headers = Object.fromEntries(entries(8100).map(([k, v]) => [`uberctx-${k}`, v]));
    const { status, modelHeaders } = await call(headers);
    expect(status).toBe(200);
    expect(injectedBytes(modelHeaders)).toBeLessThanOrEqual(BOUND);
    expect(modelHeaders.some(([k]) => k === 'traceparent')).toBe(true);
    expect(await droppedMetric()).toBeGreaterThan(0);
  });

  it.each([
    ['by default', {}, 0],
    ['with INFERTRACE_JAEGER_BAGGAGE=always', { INFERTRACE_JAEGER_BAGGAGE: 'always' }, 2],
  ])('small W3C baggage gets uberctx- copies only when configured (%s)', async (_name, env, copies) => {
    upstream = await startEchoUpstream();
    sidecar = await startTestSidecar(upstream.url, env);
    const { status, modelHeaders } = await call({ baggage: 'tenant=a,model=b' });
    expect(status).toBe(200);
    expect(modelHeaders.filter(([k]) => k.startsWith('uberctx-'))).toHaveLength(copies);
  });

  it('Jaeger baggage that came in is copied out in both forms', async () => {
    upstream = await startEchoUpstream();
    sidecar = await startTestSidecar(upstream.url);
    const { modelHeaders } = await call({ 'uberctx-tenant': 'a' });
    expect(modelHeaders).toContainEqual(['uberctx-tenant', 'a']);
    expect(modelHeaders).toContainEqual(['baggage', 'tenant=a']);
  });
});
