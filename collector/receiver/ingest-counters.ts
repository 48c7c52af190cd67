import type { ErrorCode } from '../../shared/error-codes.js';
import type { RejectCode, RejectedSpan } from './validate.js';

/**
 * Counters of what ingest received, kept, and refused: read by a /metrics endpoint (Prometheus
 * counters, so they only grow) and by tests. One instance per collector, shared by the receivers.
 */
export type Receiver = 'otlp_protobuf' | 'otlp_json' | 'zipkin';

/** The decode limits a body can run into (decode-meter.ts, metered-json.ts), by the error code each answers. */
const DECODE_LIMITS: Partial<Record<ErrorCode, DecodeLimit>> = {
  too_many_values: 'values',
  too_many_spans: 'spans',
  too_deep: 'depth',
};
export type DecodeLimit = 'values' | 'spans' | 'depth';

export interface IngestSnapshot {
  spansAccepted: number;
  /** Spans refused by validation, by reason. */
  spansRejected: Partial<Record<RejectCode, number>>;
  /** Requests answered, by receiver and HTTP status ("otlp_json 200"). */
  requests: Record<string, number>;
  /** Requests refused because their body ran into a decode limit, by limit. */
  decodeLimitsHit: Partial<Record<DecodeLimit, number>>;
  /** The most recent span rejections (newest last), for a person looking into why. */
  recentRejections: RejectedSpan[];
}

const RECENT = 20;

export class IngestCounters {
  private spansAccepted = 0;
  private readonly rejected = new Map<RejectCode, number>();
  private readonly requests = new Map<string, number>();
  private readonly decodeLimitsHit = new Map<DecodeLimit, number>();
  private readonly recent: RejectedSpan[] = [];

  accepted(n: number): void {
    this.spansAccepted += n;
  }

  rejectedSpans(spans: readonly RejectedSpan[]): void {
    for (const s of spans) this.rejected.set(s.code, (this.rejected.get(s.code) ?? 0) + 1);
    this.recent.push(...spans.slice(-RECENT));
    if (this.recent.length > RECENT) this.recent.splice(0, this.recent.length - RECENT);
  }

  /** Counts an answered request; `code` is the error it was refused with, if any. */
  request(receiver: Receiver | 'unknown', status: number, code?: ErrorCode): void {
    const key = `${receiver} ${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const limit = code === undefined ? undefined : DECODE_LIMITS[code];
    if (limit !== undefined) this.decodeLimitsHit.set(limit, (this.decodeLimitsHit.get(limit) ?? 0) + 1);
  }

  snapshot(): IngestSnapshot {
    return {
      spansAccepted: this.spansAccepted,
      spansRejected: Object.fromEntries(this.rejected),
      requests: Object.fromEntries(this.requests),
      decodeLimitsHit: Object.fromEntries(this.decodeLimitsHit),
      recentRejections: this.recent.map((r) => ({ ...r })),
    };
  }
}
