import type { SpanKind, SpanRecord } from '../../shared/span-record.js';

/**
 * Storage contracts, owned by their consumers (ingest writes, query reads), in the manner of
 * Jaeger's SpanWriter/SpanReader. Every store (SQLite, in-memory) passes one contract test suite.
 */

/**
 * Writes spans.
 * - Idempotent on (traceId, spanId, kind): writing the same span again changes nothing, so a
 *   retried export is harmless. Kind is part of the key because Zipkin's shared client/server spans
 *   carry the same span id.
 * - `writeSpans` resolves only once every span in the call is durable (its batch committed); it
 *   rejects if the batch could not be committed, and then none of its spans are acknowledged.
 * - Throws/rejects with StoreFullError when the write queue is full, so the caller can answer
 *   429/503 with Retry-After instead of buffering without bound.
 */
export interface SpanWriter {
  writeSpans(spans: readonly SpanRecord[]): Promise<void>;
}

export interface TraceQuery {
  service?: string;
  operation?: string;
  model?: string;
  version?: string;
  /** Inclusive bounds on the trace's root span duration, in nanoseconds. */
  minDurationNano?: bigint;
  maxDurationNano?: bigint;
  /** Inclusive bounds on span start times, in nanoseconds since the epoch. */
  startNano?: bigint;
  endNano?: bigint;
  /** Every pair must match one span attribute of the trace (string comparison of the value). */
  tags?: Record<string, string>;
  /** true: only traces with an error span; false: only traces without. */
  error?: boolean;
  /** Most recent first, at most this many. */
  limit: number;
}

export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  startTimeUnixNano: bigint;
  durationNano: bigint;
  spanCount: number;
  errorCount: number;
  services: string[];
  requestIds: string[];
}

export interface Operation {
  name: string;
  kind: SpanKind;
}

/**
 * Reads spans. "Not found" is a value (an empty array), never an exception. Readers return copies:
 * a caller may change what it gets without changing the store.
 */
export interface SpanReader {
  /** Every stored span of the trace, in no particular order; [] when unknown. */
  getTrace(traceId: string): Promise<SpanRecord[]>;
  /** Ids of the traces with a span whose `ml.request.id` equals requestId, most recent first. */
  findTraceIdsByRequestId(requestId: string): Promise<string[]>;
  /** Ids of the traces with a span whose `enduser.pseudo.id` equals pseudoId (a lookup, not a scan). */
  findTraceIdsBySubject(pseudoId: string): Promise<string[]>;
  /** Summaries of the traces matching the query, most recent first. */
  findTraces(query: TraceQuery): Promise<TraceSummary[]>;
  getServices(): Promise<string[]>;
  getOperations(service: string): Promise<Operation[]>;
}

export class StoreFullError extends Error {
  /** Seconds the sender should wait before retrying. */
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super('the span write queue is full');
    this.name = 'StoreFullError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export type SpanStore = SpanWriter & SpanReader & { close(): Promise<void> };
