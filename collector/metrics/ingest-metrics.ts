import type { IngestCounters } from '../receiver/ingest-counters.js';
import type { MemoryBudget } from '../receiver/memory-budget.js';
import type { MetricFamily } from './latency/prometheus/metric-family.js';
import type { MetricSource } from './latency/prometheus/metric-registry.js';

/**
 * Ingest's counters as Prometheus families: what was received, kept and refused, and why; the
 * decode limits bodies ran into; and the memory budget's use, limit and refusals.
 */
export function ingestMetricSource(counters: IngestCounters, budget: MemoryBudget): MetricSource {
  return (): MetricFamily[] => {
    const s = counters.snapshot();
    const b = budget.stats();
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
      {
        type: 'counter',
        name: 'infertrace_ingest_decode_limit_hits_total',
        help: 'Ingest requests refused because their body ran into a decode limit (values, spans or JSON nesting depth).',
        samples: (['values', 'spans', 'depth'] as const).map((limit) => ({
          labels: { limit },
          value: s.decodeLimitsHit[limit] ?? 0,
        })),
      },
      {
        type: 'gauge',
        name: 'infertrace_memory_budget_in_use_bytes',
        help: 'Bytes of the memory budget held by ingest requests in flight (bodies, decoded values, queued spans).',
        samples: [{ labels: {}, value: b.inUseBytes }],
      },
      {
        type: 'gauge',
        name: 'infertrace_memory_budget_limit_bytes',
        help: 'The memory budget (--memory-budget).',
        samples: [{ labels: {}, value: b.limitBytes }],
      },
      {
        type: 'counter',
        name: 'infertrace_memory_budget_refusals_total',
        help: 'Ingest requests refused with 503 memory_budget_exceeded because the budget was spent.',
        samples: [{ labels: {}, value: b.refusals }],
      },
    ];
  };
}
