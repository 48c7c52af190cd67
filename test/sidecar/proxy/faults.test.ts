import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { headerValues, startTestSidecar } from '../support/sidecar-harness.js';
import { closedPortUrl, startEchoUpstream, startUpstream, until } from '../support/upstream.js';

const CLIENT = 3;
const ERROR = 2;

let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());

const env = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' };
const withReceiver = (extra: Record<string, string> = {}): Record<string, string> => ({
  ...env,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.endpoint,
  ...extra,
});

async function spansFor(requestId: string): Promise<{ server: ReceivedSpan; client: ReceivedSpan }> {
  const all = await receiver.waitFor((spans) => {
    const server = spans.find((s) => s.attributes['ml.request.id'] === requestId);
    return server !== undefined && spans.some((s) => s.kind === CLIENT && s.parentSpanId === server.spanId);
  });
  const server = all.find((s) => s.attributes['ml.request.id'] === requestId) as ReceivedSpan;
  return { server, client: all.find((s) => s.kind === CLIENT && s.parentSpanId === server.spanId) as ReceivedSpan };
}

async function metric(adminUrl: string, line: RegExp): Promise<number> {
  const text = await (await request(`${adminUrl}/metrics`)).body.text();
  const m = text.split('\n').find((l) => line.test(l));
  return m ? Number(m.split(' ').pop()) : 0;
}

describe('upstream faults give the client a JSON error and ERROR spans', () => {
  it('upstream down → 502 upstream_unreachable', async () => {
    const sidecar = await startTestSidecar(await closedPortUrl(), withReceiver());
    try {
      const res = await request(`${sidecar.url}/v2/models/m/infer`, {
        method: 'POST',
        body: '{}',
        headers: { 'x-request-id': 'down-1' },
      });
      const body = (await res.body.json()) as { error: { code: string; message: string } };
      expect(res.statusCode).toBe(502);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['x-request-id']).toBe('down-1');
      expect(body.error.code).toBe('upstream_unreachable');
      expect(body.error.message).toMatch(/INFERTRACE_UPSTREAM/);
      const { server, client } = await spansFor('down-1');
      expect(server.status.code).toBe(ERROR);
      expect(server.attributes['error.type']).toBe('upstream_unreachable');
      expect(server.attributes['http.response.status_code']).toBe(502);
      expect(server.events.map((e) => e.name)).toContain('exception');
      expect(client.status.code).toBe(ERROR);
      expect(client.attributes['error.type']).toBe('ECONNREFUSED');
      expect(client.events.map((e) => e.name)).toContain('exception');
      expect(
        await metric(sidecar.adminUrl, /^infertrace_sidecar_upstream_errors_total\{code="upstream_unreachable"\}/),
      ).toBe(1);
    } finally {
      await sidecar.close();
    }
  });

  it('upstream slower than the timeout → 504 upstream_timeout', async () => {
    const upstream = await startUpstream(() => undefined); // never answers
    const sidecar = await startTestSidecar(upstream.url, withReceiver({ INFERTRACE_UPSTREAM_TIMEOUT: '150ms' }));
    try {
      const res = await request(`${sidecar.url}/slow`, { headers: { 'x-request-id': 'slow-1' } });
      const body = (await res.body.json()) as { error: { code: string; message: string } };
      expect(res.statusCode).toBe(504);
      expect(body.error.code).toBe('upstream_timeout');
      expect(body.error.message).toMatch(/150 ms.*INFERTRACE_UPSTREAM_TIMEOUT/);
      const { server, client } = await spansFor('slow-1');
      expect(server.attributes['error.type']).toBe('upstream_timeout');
      expect(client.attributes['error.type']).toBe('UND_ERR_HEADERS_TIMEOUT');
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });

  it('upstream resets before answering → 502 upstream_reset', async () => {
    const upstream = await startUpstream((req) => req.socket.destroy());
    const sidecar = await startTestSidecar(upstream.url, withReceiver());
    try {
      const res = await request(`${sidecar.url}/reset`, { headers: { 'x-request-id': 'reset-1' } });
      const body = (await res.body.json()) as { error: { code: string } };
      expect(res.statusCode).toBe(502);
      expect(body.error.code).toBe('upstream_reset');
      expect((await spansFor('reset-1')).client.status.code).toBe(ERROR);
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });

  it('upstream resets mid-body → the client sees the truncation, the spans record it', async () => {
    const upstream = await startUpstream((req, res) => {
      if (req.url === '/after') return void res.end('ok');
      res.writeHead(200, { 'content-length': '1000' });
      res.write('x'.repeat(100), () => setImmediate(() => res.socket?.destroy()));
    });
    const sidecar = await startTestSidecar(upstream.url, withReceiver());
    try {
      const res = await request(`${sidecar.url}/midbody`, { headers: { 'x-request-id': 'mid-1' } });
      expect(res.statusCode).toBe(200);
      await expect(res.body.text()).rejects.toThrow();
      const { server, client } = await spansFor('mid-1');
      expect(server.status.code).toBe(ERROR);
      expect(server.attributes['error.type']).toBe('upstream_reset');
      expect(client.status.code).toBe(ERROR);
      expect(client.attributes['http.response.status_code']).toBe(200);
      // The pool recovers: the next call gets a fresh connection.
      const after = await request(`${sidecar.url}/after`);
      expect(await after.body.text()).toBe('ok');
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });
});

describe('the client goes away', () => {
  it('mid-upload: the model call is aborted and recorded as client_aborted', async () => {
    let sawRequest!: () => void;
    const seen = new Promise<void>((r) => (sawRequest = r));
    const upstream = await startUpstream((req) => {
      req.once('data', () => sawRequest());
    });
    const sidecar = await startTestSidecar(upstream.url, withReceiver());
    try {
      const { port } = new URL(sidecar.url);
      const socket = connect(Number(port), '127.0.0.1');
      socket.on('error', () => undefined);
      socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nX-Request-Id: gone-1\r\nContent-Length: 1000000\r\n\r\n');
      socket.write('a'.repeat(1000));
      await seen;
      socket.destroy();
      const { server, client } = await spansFor('gone-1');
      expect(server.attributes['error.type']).toBe('client_aborted');
      expect(client.status.code).toBe(ERROR);
      expect(client.attributes['error.type']).toBe('client_aborted');
      await until(() => upstream.received[0]?.aborted === true);
      expect(upstream.received[0]?.body.length).toBeLessThan(1_000_000);
      expect(
        await metric(sidecar.adminUrl, /^infertrace_sidecar_requests_total\{method="POST",status_code="499"\}/),
      ).toBe(1);
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });

  it('mid-download: the model response is abandoned', async () => {
    let closed!: () => void;
    const upstreamClosed = new Promise<void>((r) => (closed = r));
    const upstream = await startUpstream((_req, res) => {
      res.writeHead(200);
      res.write('partial');
      res.on('close', () => closed());
    });
    const sidecar = await startTestSidecar(upstream.url);
    try {
      const res = await request(`${sidecar.url}/download`);
      for await (const _chunk of res.body) {
        res.body.destroy();
        break;
      }
      await upstreamClosed; // resolves only because the sidecar aborted the upstream call
      expect(upstream.received).toHaveLength(1);
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });
});

describe('oversized and malformed trace headers start a new trace and never fail the request', () => {
  it.each<[string, Record<string, string>]>([
    ['an 8 KB traceparent', { traceparent: `00-${'a'.repeat(8000)}` }],
    ['a traceparent of garbage', { traceparent: '00-zzzz-yyyy-01' }],
    [
      'an 8 KB tracestate beside a garbage traceparent',
      { traceparent: 'garbage', tracestate: `k=${'v'.repeat(8000)}` },
    ],
    ['a b3 header of garbage', { b3: '-----' }],
    ['an 8 KB b3 header', { b3: 'f'.repeat(8000) }],
    ['an uber-trace-id of colons', { 'uber-trace-id': '::::' }],
    ['an uber-trace-id with a bad escape', { 'uber-trace-id': '%E0%A4%A' }],
    ['an 8 KB baggage header', { baggage: `k=${'v'.repeat(8000)}` }],
    ['an undecodable uberctx- value', { 'uberctx-user': '%E0%A4%A' }],
  ])('%s', async (_name, headers) => {
    const upstream = await startEchoUpstream();
    const sidecar = await startTestSidecar(upstream.url);
    try {
      const res = await request(`${sidecar.url}/h`, { headers });
      const echo = (await res.body.json()) as { rawHeaders: string[] };
      expect(res.statusCode).toBe(200);
      expect(headerValues(echo.rawHeaders, 'traceparent')[0]).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-3]$/);
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });

  it('a valid but long tracestate is truncated by whole entries, long ones first', async () => {
    const upstream = await startEchoUpstream();
    const sidecar = await startTestSidecar(upstream.url);
    try {
      const members = Array.from({ length: 20 }, (_, i) => `k${i}=${(i % 2 ? 'l' : 's').repeat(i % 2 ? 200 : 10)}`);
      const res = await request(`${sidecar.url}/h`, {
        headers: { traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`, tracestate: members.join(',') },
      });
      const echo = (await res.body.json()) as { rawHeaders: string[] };
      const out = headerValues(echo.rawHeaders, 'tracestate')[0] as string;
      expect(out.length).toBeLessThanOrEqual(512);
      // Long entries go right-most first, only as many as needed: the left-most long one (k1) stays.
      expect(out.split(',')).toEqual(members.filter((_, i) => i % 2 === 0 || i === 1));
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });
});

describe('a slow, failing or absent collector never fails a model request', () => {
  it.each<[string, () => Promise<{ endpoint: string; close(): Promise<void> }>]>([
    ['collector down', async () => ({ endpoint: `${await closedPortUrl()}/v1/traces`, close: async () => undefined })],
    [
      'collector answering 503',
      async () => {
        const r = await startOtlpReceiver();
        r.respondWith(503);
        return r;
      },
    ],
  ])('%s: every request succeeds, the queue stays bounded, drops are counted', async (_name, makeCollector) => {
    const collector = await makeCollector();
    const upstream = await startEchoUpstream();
    const sidecar = await startTestSidecar(upstream.url, {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collector.endpoint,
      OTEL_BSP_MAX_QUEUE_SIZE: '8',
      OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '4',
      OTEL_BSP_SCHEDULE_DELAY: '5',
      OTEL_EXPORTER_OTLP_TIMEOUT: '300',
    });
    try {
      const statuses: number[] = [];
      const queueSizes: number[] = [];
      for (let round = 0; round < 10; round++) {
        const batch = await Promise.all(
          Array.from({ length: 10 }, async () => {
            const res = await request(`${sidecar.url}/v2/models/m/infer`, { method: 'POST', body: '{"inputs":[]}' });
            await res.body.dump();
            return res.statusCode;
          }),
        );
        statuses.push(...batch);
        queueSizes.push(await metric(sidecar.adminUrl, /^infertrace_sidecar_span_queue_size /));
      }
      expect(statuses).toEqual(new Array(100).fill(200));
      expect(Math.max(...queueSizes)).toBeLessThanOrEqual(8);
      const dropped =
        (await metric(sidecar.adminUrl, /^infertrace_sidecar_spans_dropped_total\{reason="queue_full"\}/)) +
        (await metric(sidecar.adminUrl, /^infertrace_sidecar_spans_dropped_total\{reason="export_failed"\}/));
      expect(dropped).toBeGreaterThan(0);
      expect(await metric(sidecar.adminUrl, /^infertrace_sidecar_spans_exported_total /)).toBe(0);
    } finally {
      await sidecar.close();
      await upstream.close();
      await collector.close();
    }
  });
});
