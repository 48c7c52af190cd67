import type { CaptureThreadStats } from '../capture/threads/capture-threads.js';
import type { SpanStats } from '../telemetry/counting-pipeline.js';
import type { LoopDelaySnapshot } from './event-loop-delay.js';
import type { PoolStatsSnapshot } from '../upstream-pool.js';
import { family, histogram, type HistogramSeries } from './prometheus-text.js';

/** Upper bounds (seconds) of the upstream latency histogram. */
const LATENCY_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

interface Series {
  counts: number[];
  sum: number;
}

/** In-process counters of the proxy, rendered on the admin port's /metrics. */
export class SidecarMetrics {
  private readonly requests = new Map<string, number>();
  private readonly upstreamErrors = new Map<string, number>();
  private readonly latency = new Map<string, Series>();
  private droppedHeaders = 0;
  inFlight = 0;
  /** Exchanges answered whose SERVER span waits for a capture thread. */
  awaitingCapture = 0;

  /** Injected baggage headers dropped to keep the forwarded headers within their bound. */
  countDroppedHeaders(n: number): void {
    this.droppedHeaders += n;
  }

  /** One finished inbound request; status is what the client got (499: it went away first). */
  countRequest(method: string, status: number): void {
    const key = `${method}\u0000${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** One upstream call: its HTTP status, or `error` when it failed; seconds from dispatch to end. */
  observeUpstream(status: number | 'error', seconds: number): void {
    const key = String(status);
    let s = this.latency.get(key);
    if (!s) {
      s = { counts: new Array<number>(LATENCY_BOUNDS.length + 1).fill(0), sum: 0 };
      this.latency.set(key, s);
    }
    let i = LATENCY_BOUNDS.findIndex((b) => seconds <= b);
    if (i === -1) i = LATENCY_BOUNDS.length;
    s.counts[i] = (s.counts[i] ?? 0) + 1;
    s.sum += seconds;
  }

  countUpstreamError(code: string): void {
    this.upstreamErrors.set(code, (this.upstreamErrors.get(code) ?? 0) + 1);
  }

  render(spans: SpanStats, pool: PoolStatsSnapshot, loop?: LoopDelaySnapshot, capture?: CaptureThreadStats): string {
    const requests = [...this.requests].map(([k, value]) => {
      const [method = '', status = ''] = k.split('\u0000');
      return { labels: { method, status_code: status }, value };
    });
    const errors = [...this.upstreamErrors].map(([code, value]) => ({ labels: { code }, value }));
    const series: HistogramSeries[] = [...this.latency].map(([status, s]) => ({
      labels: { status_code: status },
      bounds: LATENCY_BOUNDS,
      counts: s.counts,
      sum: s.sum,
    }));
    const p = 'infertrace_sidecar_';
    return (
      [
        family(
          `${p}requests_total`,
          'counter',
          'Inbound requests by method and the status sent to the client (499: client went away).',
          requests,
        ),
        family(`${p}requests_in_flight`, 'gauge', 'Inbound requests being proxied now.', [{ value: this.inFlight }]),
        histogram(
          `${p}upstream_duration_seconds`,
          'Model server calls, from dispatch to the last response byte, by upstream status (error: no answer).',
          series,
        ),
        family(`${p}upstream_errors_total`, 'counter', 'Model server calls that failed, by error code.', errors),
        family(
          `${p}injected_headers_dropped_total`,
          'counter',
          'Baggage copies (uberctx-*, baggage) not forwarded to the model: over --max-injected-headers.',
          [{ value: this.droppedHeaders }],
        ),
        family(`${p}spans_exported_total`, 'counter', 'Spans the collector accepted.', [{ value: spans.exported }]),
        family(
          `${p}spans_dropped_total`,
          'counter',
          'Spans lost: queue_full (collector slow or down) or export_failed (collector refused or unreachable after retries).',
          [
            { labels: { reason: 'queue_full' }, value: spans.droppedQueueFull },
            { labels: { reason: 'export_failed' }, value: spans.droppedExportFailed },
          ],
        ),
        family(`${p}span_queue_size`, 'gauge', 'Spans waiting to be exported.', [{ value: spans.pending }]),
        family(`${p}span_queue_capacity`, 'gauge', 'Bound of the span queue (OTEL_BSP_MAX_QUEUE_SIZE).', [
          { value: spans.maxPending },
        ]),
        family(`${p}pool_connections`, 'gauge', 'Connections to the model server: connected, free (idle keep-alive).', [
          { labels: { state: 'connected' }, value: pool.connected },
          { labels: { state: 'free' }, value: pool.free },
        ]),
        family(
          `${p}pool_requests`,
          'gauge',
          'Requests in the upstream pool: queued (waiting for a connection), pending, running.',
          [
            { labels: { state: 'queued' }, value: pool.queued },
            { labels: { state: 'pending' }, value: pool.pending },
            { labels: { state: 'running' }, value: pool.running },
          ],
        ),
        ...(loop ? [loopFamilies(loop)] : []),
        ...(capture ? [captureFamilies(capture, this.awaitingCapture)] : []),
      ].join('\n\n') + '\n'
    );
  }
}

const P = 'infertrace_sidecar_';

function loopFamilies(l: LoopDelaySnapshot): string {
  return [
    family(
      `${P}event_loop_delay_seconds`,
      'gauge',
      "How long the proxy's event loop was held up, quantiles over the time since the previous scrape.",
      [
        { labels: { quantile: '0.5' }, value: l.p50 },
        { labels: { quantile: '0.99' }, value: l.p99 },
        { labels: { quantile: '0.999' }, value: l.p999 },
        { labels: { quantile: '1' }, value: l.max },
      ],
    ),
  ].join('\n\n');
}

function captureFamilies(c: CaptureThreadStats, awaiting: number): string {
  return [
    family(`${P}capture_threads`, 'gauge', 'Capture threads (--capture-workers).', [{ value: c.threads }]),
    family(`${P}capture_queue_size`, 'gauge', 'Exchanges sent to the capture threads, not yet captured.', [
      { value: c.queued },
    ]),
    family(`${P}capture_queue_bytes`, 'gauge', 'Body bytes sent to the capture threads, not yet captured.', [
      { value: c.queuedBytes },
    ]),
    family(
      `${P}capture_shed_total`,
      'counter',
      'Exchanges not captured because the capture queue was full (ml.capture.reason=overloaded).',
      [{ value: c.shed }],
    ),
    family(
      `${P}capture_thread_restarts_total`,
      'counter',
      'Capture threads that died and were replaced (their exchanges: ml.capture.reason=worker_crashed).',
      [{ value: c.restarts }],
    ),
    family(`${P}spans_awaiting_capture`, 'gauge', 'Answered exchanges whose SERVER span waits for capture.', [
      { value: awaiting },
    ]),
  ].join('\n\n');
}
