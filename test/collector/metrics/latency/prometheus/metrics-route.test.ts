import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LatencyMetrics } from '../../../../../collector/metrics/latency/latency-metrics.js';
import { MetricRegistry } from '../../../../../collector/metrics/latency/prometheus/metric-registry.js';
import { metricsRoute } from '../../../../../collector/metrics/latency/prometheus/metrics-route.js';
import { registerRedMetrics } from '../../../../../collector/metrics/latency/prometheus/red-metrics.js';
import type { SpanRecord } from '../../../../../shared/span-record.js';
import { exactQuantile, requestSpan, seededRandom } from '../latency-spans.js';
import { findSample, parseExposition, type ParsedExposition } from './exposition-parser.js';

const NOW = 1_718_000_000_000;
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const BOUNDS = [0.01, 0.05, 0.1, 0.5];

// Served by a real listener on loopback, scraped over HTTP as Prometheus would.
let app: FastifyInstance;
let base: string;
const spans: SpanRecord[] = [];
const awkwardOperation = 'POST /v2/models/"quoted"\\path\nnext';

beforeAll(async () => {
  const metrics = new LatencyMetrics({ histogramBoundsSeconds: BOUNDS }, () => NOW);
  const r = seededRandom(5);
  for (let i = 0; i < 400; i++) {
    spans.push(
      requestSpan({
        startMs: NOW - 4 * 60_000 + i * 100,
        durationMs: 1 + 700 * r() ** 2,
        model: 'iris',
        version: i % 2 === 0 ? '1' : '2',
        error: i % 25 === 0,
      }),
    );
  }
  spans.push(requestSpan({ startMs: NOW - 1000, durationMs: 3, operation: awkwardOperation, service: 'odd' }));
  metrics.onSpans(spans);

  const registry = new MetricRegistry();
  registerRedMetrics(registry, metrics);
  registry.register(() => [
    {
      type: 'counter',
      name: 'infertrace_spans_rejected_total',
      help: 'Spans refused at ingest.',
      samples: [{ labels: { reason: 'invalid' }, value: 4 }],
    },
  ]);
  registry.register(() => {
    throw new Error('a broken source');
  });
  app = Fastify();
  await app.register(metricsRoute, { registry });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app.close();
});

async function scrape(accept?: string): Promise<{ type: string; parsed: ParsedExposition }> {
  const res = await fetch(`${base}/metrics`, { headers: accept ? { accept } : {} });
  expect(res.status).toBe(200);
  const type = res.headers.get('content-type') ?? '';
  const format = type.startsWith('application/openmetrics-text') ? 'openmetrics' : 'prometheus';
  return { type, parsed: parseExposition(await res.text(), format) };
}

const iris = (version: string) => ({ service: 'iris-sidecar', model: 'iris', version });
const inSeries = (version: string) => spans.filter((s) => s.attributes['ml.model.version'] === version);
const seconds = (s: SpanRecord) => Number(s.endTimeUnixNano - s.startTimeUnixNano) / 1e9;

describe('GET /metrics', () => {
  it.each([
    [undefined, 'text/plain; version=0.0.4'],
    [PROMETHEUS_ACCEPT, 'application/openmetrics-text; version=1.0.0'],
  ])('Accept %s is answered as %s', async (accept, contentType) => {
    const { type } = await scrape(accept);
    expect(type.startsWith(contentType)).toBe(true);
  });

  it.each([undefined, PROMETHEUS_ACCEPT])(
    'Accept %s: request and error counters per series match the spans',
    async (accept) => {
      const { parsed } = await scrape(accept);
      for (const version of ['1', '2']) {
        const series = inSeries(version);
        expect(findSample(parsed, 'infertrace_requests_total', iris(version))?.value).toBe(series.length);
        expect(findSample(parsed, 'infertrace_request_errors_total', iris(version))?.value).toBe(
          series.filter((s) => s.status.code === 'ERROR').length,
        );
      }
    },
  );

  it('the histogram is cumulative over the fixed bounds, with _sum and _count', async () => {
    const { parsed } = await scrape();
    const series = inSeries('1');
    for (const le of BOUNDS) {
      const expected = series.filter((s) => seconds(s) <= le).length;
      expect(
        findSample(parsed, 'infertrace_request_duration_seconds_bucket', { ...iris('1'), le: String(le) })?.value,
      ).toBe(expected);
    }
    expect(findSample(parsed, 'infertrace_request_duration_seconds_bucket', { ...iris('1'), le: '+Inf' })?.value).toBe(
      series.length,
    );
    expect(findSample(parsed, 'infertrace_request_duration_seconds_count', iris('1'))?.value).toBe(series.length);
    expect(findSample(parsed, 'infertrace_request_duration_seconds_sum', iris('1'))?.value).toBeCloseTo(
      series.reduce((t, s) => t + seconds(s), 0),
      9,
    );
  });

  it('OpenMetrics: each bucket exemplar is a real request in that bucket, the latest one', async () => {
    const { parsed } = await scrape(PROMETHEUS_ACCEPT);
    const series = inSeries('2');
    const bounds = [0, ...BOUNDS, Infinity];
    for (let i = 1; i < bounds.length; i++) {
      const [lo, hi] = [bounds[i - 1] as number, bounds[i] as number];
      const le = hi === Infinity ? '+Inf' : String(Number.isInteger(hi) ? `${hi}.0` : hi);
      const inRange = series.filter((s) => seconds(s) > lo && seconds(s) <= hi);
      const exemplar = findSample(parsed, 'infertrace_request_duration_seconds_bucket', { ...iris('2'), le })?.exemplar;
      if (inRange.length === 0) {
        expect(exemplar).toBeUndefined();
        continue;
      }
      const latest = inRange.reduce((a, b) => (b.endTimeUnixNano >= a.endTimeUnixNano ? b : a));
      expect(exemplar?.labels).toEqual({ trace_id: latest.traceId, span_id: latest.spanId });
      expect(exemplar?.value).toBeCloseTo(seconds(latest), 9);
      expect(exemplar?.timestamp).toBeCloseTo(Number(latest.endTimeUnixNano) / 1e9, 3);
    }
    const errorExemplar = findSample(parsed, 'infertrace_request_errors_total', iris('2'))?.exemplar;
    const lastError = series.filter((s) => s.status.code === 'ERROR').at(-1);
    expect(errorExemplar?.labels.trace_id).toBe(lastError?.traceId);
  });

  it('Prometheus text 0.0.4 carries no exemplars', async () => {
    const { parsed } = await scrape();
    expect(parsed.samples.filter((s) => s.exemplar !== undefined)).toEqual([]);
  });

  it('quantile gauges from the sketch are within its relative error of the exact quantiles', async () => {
    const { parsed } = await scrape(PROMETHEUS_ACCEPT);
    const sorted = inSeries('1')
      .map(seconds)
      .sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const sample = findSample(parsed, 'infertrace_request_duration_quantile_seconds', {
        ...iris('1'),
        quantile: String(q),
      });
      const exact = exactQuantile(sorted, q);
      expect(Math.abs((sample?.value ?? NaN) - exact)).toBeLessThanOrEqual(0.01 * exact * (1 + 1e-9));
    }
  });

  it.each([undefined, PROMETHEUS_ACCEPT])(
    'Accept %s: an operation with quotes, backslashes and a line feed is escaped and read back intact',
    async (accept) => {
      const { parsed } = await scrape(accept);
      expect(findSample(parsed, 'infertrace_requests_total', { operation: awkwardOperation })?.value).toBe(1);
    },
  );

  it('exposes other sources on the same page and counts a source that threw', async () => {
    const { parsed } = await scrape(PROMETHEUS_ACCEPT);
    expect(findSample(parsed, 'infertrace_spans_rejected_total', { reason: 'invalid' })?.value).toBe(4);
    expect(findSample(parsed, 'infertrace_metric_source_failures_total')?.value).toBeGreaterThanOrEqual(1);
    expect(findSample(parsed, 'infertrace_latency_series')?.value).toBe(3);
  });
});
