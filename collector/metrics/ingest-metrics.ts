import type { IngestCounters } from '../receiver/ingest-counters.js';
import type { MetricFamily } from './latency/prometheus/metric-family.js';
import type { MetricSource } from './latency/prometheus/metric-registry.js';

/** Ingest's counters as Prometheus families: what was received, kept and refused, and why. */
export function ingestMetricSource(counters: IngestCounters): MetricSource {
  return (): MetricFamily[] => {
    const s = counters.snapshot();
    return [
      {
        type: 'counter',
        name: 'infertrace_spans_accepted_total',
        help: 'Spans stored and acknowledged to their sender.',
        samples: [{ labels: {}, value: s.spansAccepted }],
      },
      {
        type: 'counter',
        name: 'infertrace_spans_rejected_total',
        help: 'Spans refused by validation, by reason.',
        samples: Object.entries(s.spansRejected).map(([reason, value]) => ({ labels: { reason }, value: value ?? 0 })),
      },
      {
        type: 'counter',
        name: 'infertrace_ingest_requests_total',
        help: 'Ingest requests answered, by receiver and HTTP status.',
        samples: Object.entries(s.requests).map(([key, value]) => {
          const [receiver = 'unknown', status = ''] = key.split(' ');
          return { labels: { receiver, status }, value };
        }),
      },
    ];
  };
}
