import { makeSpan } from '../../storage/span-fixtures.js';
import type { SpanKind, SpanRecord } from '../../../../shared/span-record.js';

/** Request spans for the latency tests, described in milliseconds. */
export interface RequestSpec {
  startMs: number;
  durationMs: number;
  service?: string;
  operation?: string;
  model?: string;
  version?: string;
  error?: boolean;
  kind?: SpanKind;
  parentSpanId?: string;
}

/** Milliseconds (possibly fractional, down to nanoseconds) to bigint nanoseconds, exactly. */
function msToNano(ms: number): bigint {
  const whole = Math.floor(ms);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
}

export function requestSpan(spec: RequestSpec): SpanRecord {
  const start = msToNano(spec.startMs);
  const service = spec.service ?? 'iris-sidecar';
  const attributes: SpanRecord['attributes'] = {};
  if (spec.model !== undefined) attributes['ml.model.name'] = spec.model;
  if (spec.version !== undefined) attributes['ml.model.version'] = spec.version;
  return makeSpan({
    name: spec.operation ?? 'POST /v2/models/{model}/infer',
    kind: spec.kind ?? 'SERVER',
    parentSpanId: spec.parentSpanId ?? '',
    serviceName: service,
    resource: { 'service.name': service },
    startTimeUnixNano: start,
    endTimeUnixNano: start + msToNano(spec.durationMs),
    attributes,
    status: spec.error ? { code: 'ERROR', message: 'failed' } : { code: 'UNSET', message: '' },
  });
}

/** A deterministic PRNG (mulberry32), so generated latencies are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sample at rank floor(q·(n−1)) of the sorted values: what DDSketch approximates. */
export function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] as number;
}
