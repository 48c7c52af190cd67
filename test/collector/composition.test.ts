import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCollectorConfig } from '../../collector/config.js';
import type { RunningCollector } from '../../collector/main.js';
import { startCollector } from '../../collector/main.js';
import { readFixture } from '../support/fixtures.js';
import { otlpRequest, otlpSpan } from './support/otlp-factory.js';

/** The example trace moved to now, so the latency window (24 h by default) holds it. */
function recent(otlpJson: string): string {
  const start = BigInt(Date.now() - 5000) * 1_000_000n;
  return otlpJson
    .replace(/"startTimeUnixNano":\s*"\d+"/g, `"startTimeUnixNano": "${start}"`)
    .replace(/"endTimeUnixNano":\s*"\d+"/g, `"endTimeUnixNano": "${start + 1_000_000_000n}"`)
    .replace(/"timeUnixNano":\s*"\d+"/g, `"timeUnixNano": "${start + 1_000n}"`);
}

// The collector as `infertrace collector` runs it: every area composed over one SQLite file.
describe('the composed collector', () => {
  let dir: string;
  let collector: RunningCollector;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infertrace-composed-'));
    const config = readCollectorConfig(
      { port: '0', host: '127.0.0.1', db: join(dir, 'c.db'), 'log-level': 'silent', retention: '0' },
      {},
    );
    collector = await startCollector(config);
    await collector.opening.opened();
    const res = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: recent(readFixture('otlp', 'example-trace.json')),
    });
    expect(res.status).toBe(200);
    const inference = otlpSpan({
      attributes: [
        { key: 'ml.model.name', value: { stringValue: 'iris' } },
        { key: 'ml.input.petal_length', value: { doubleValue: 4.5 } },
        { key: 'ml.output.label', value: { stringValue: 'versicolor' } },
      ],
    });
    const captured = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlpRequest([inference], 'iris-sidecar')),
    });
    expect(captured.status).toBe(200);
  });

  afterAll(async () => {
    await collector?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['query API', '/api/services', (b: unknown) => expect(b).toEqual({ services: ['checkout', 'iris-sidecar'] })],
    [
      'Jaeger API',
      '/jaeger/api/services',
      (b: unknown) => expect((b as { data: string[] }).data).toEqual(['checkout', 'iris-sidecar']),
    ],
    ['Zipkin API', '/api/v2/services', (b: unknown) => expect(b).toEqual(['checkout', 'iris-sidecar'])],
    [
      'latency',
      '/api/metrics/latency?service=checkout',
      (b: unknown) => expect(JSON.stringify(b)).toContain('checkout'),
    ],
    ['alerts', '/api/alerts', (b: unknown) => expect(b).toEqual({ alerts: [] })],
    [
      'alert metrics, drift included',
      '/api/alerts/rules',
      (b: unknown) =>
        expect((b as { metrics: string[] }).metrics).toEqual(
          expect.arrayContaining(['drift', 'missing_rate', 'accuracy', 'latency_quantile']),
        ),
    ],
    [
      'drift report',
      '/api/drift?model=iris&window=1h',
      (b: unknown) => expect(JSON.stringify(b)).toContain('petal_length'),
    ],
    ['forwarding status', '/api/export/status', (b: unknown) => expect(b).toEqual({ destinations: [] })],
  ])('serves the %s', async (_name, path, check) => {
    const res = await fetch(`${collector.url}${path}`);
    expect(res.status, await res.clone().text()).toBe(200);
    check(await res.json());
  });

  it('counts ingest and latency on one /metrics', async () => {
    const text = await (await fetch(`${collector.url}/metrics`)).text();
    expect(text).toMatch(/^infertrace_spans_accepted_total 3$/m);
    expect(text).toMatch(/^infertrace_requests_total\{service="checkout",/m);
  });

  it('keeps feedback for a request it has not seen, and says so', async () => {
    const res = await fetch(`${collector.url}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ request_id: 'never-seen', label: 'yes' }]),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ unknownRequestIds: ['never-seen'] });
  });
});
