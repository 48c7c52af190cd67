import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startTestSidecar } from '../support/sidecar-harness.js';
import { closedPortUrl, startUpstream } from '../support/upstream.js';

describe('admin endpoints', () => {
  it('/healthz answers while the model is down; /readyz tells whether the model is reachable', async () => {
    const sidecar = await startTestSidecar(await closedPortUrl());
    try {
      const health = await request(`${sidecar.adminUrl}/healthz`);
      expect(health.statusCode).toBe(200);
      expect(await health.body.json()).toEqual({ status: 'ok' });
      const ready = await request(`${sidecar.adminUrl}/readyz`);
      const body = (await ready.body.json()) as { error: { code: string; message: string } };
      expect(ready.statusCode).toBe(503);
      expect(body.error.code).toBe('upstream_unready');
      expect(body.error.message).toMatch(/ECONNREFUSED/);
    } finally {
      await sidecar.close();
    }
  });

  it.each<[string, Record<string, string>, number]>([
    ['any answer counts without a health path', {}, 200],
    ['a 2xx on the health path', { INFERTRACE_UPSTREAM_HEALTH_PATH: '/v2/health/ready' }, 200],
    ['a non-2xx on the health path', { INFERTRACE_UPSTREAM_HEALTH_PATH: '/v2/health/broken' }, 503],
  ])('/readyz: %s', async (_name, env, expected) => {
    const upstream = await startUpstream((req, res) => {
      res.writeHead(req.url === '/v2/health/ready' ? 200 : 404);
      res.end();
    });
    const sidecar = await startTestSidecar(upstream.url, env);
    try {
      const ready = await request(`${sidecar.adminUrl}/readyz`);
      await ready.body.dump();
      expect(ready.statusCode).toBe(expected);
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });

  it('/metrics counts requests, upstream latency by status, spans and pool state in Prometheus text', async () => {
    const upstream = await startUpstream((req, res) => {
      res.writeHead(req.url === '/missing' ? 404 : 200);
      res.end('x');
    });
    const sidecar = await startTestSidecar(upstream.url);
    try {
      for (const path of ['/a', '/a', '/missing']) await (await request(`${sidecar.url}${path}`)).body.dump();
      const res = await request(`${sidecar.adminUrl}/metrics`);
      const text = await res.body.text();
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(text).toContain('infertrace_sidecar_requests_total{method="GET",status_code="200"} 2');
      expect(text).toContain('infertrace_sidecar_requests_total{method="GET",status_code="404"} 1');
      expect(text).toContain('infertrace_sidecar_upstream_duration_seconds_count{status_code="200"} 2');
      expect(text).toContain('infertrace_sidecar_upstream_duration_seconds_bucket{status_code="404",le="+Inf"} 1');
      expect(text).toMatch(/^infertrace_sidecar_spans_exported_total \d+$/m);
      expect(text).toContain('infertrace_sidecar_spans_dropped_total{reason="queue_full"} 0');
      expect(text).toContain('infertrace_sidecar_span_queue_capacity 2048');
      expect(text).toContain('infertrace_sidecar_pool_connections{state="connected"} 1');
      expect(text).toContain('infertrace_sidecar_requests_in_flight 0');
    } finally {
      await sidecar.close();
      await upstream.close();
    }
  });
});
