import type { Attributes, SpanKind, SpanRecord } from '../../shared/span-record.js';

/**
 * Storage contracts, owned by their consumers (ingest writes, query reads), in the manner of
 * Jaeger's SpanWriter/SpanReader. The SQLite store passes the contract test suite.
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

/**
 * A search for traces, in the manner of Jaeger's: a trace matches when ONE of its spans meets every
 * span-level condition (service, operation, model, version, duration, start time, tags); `error` is
 * then judged on the whole trace. Absent fields do not constrain.
 */
export interface TraceQuery {
  /** The span's service name. */
  service?: string;
  /** The span's name. */
  operation?: string;
  /** The span's `ml.model.name` / `ml.model.version` attribute. */
  model?: string;
  version?: string;
  /** Inclusive bounds on the matching span's duration, in nanoseconds. */
  minDurationNano?: bigint;
  maxDurationNano?: bigint;
  /** Inclusive bounds on the matching span's start time, in nanoseconds since the epoch. */
  startNano?: bigint;
  endNano?: bigint;
  /**
   * Every pair must match an attribute of the matching span, or of its resource. Values compare as
   * text: strings as they are, numbers and booleans as JavaScript prints them, other values as JSON.
   */
  tags?: Record<string, string>;
  /** true: only traces with a span whose status is ERROR; false: only traces without one. */
  error?: boolean;
  /**
   * At most this many traces: those whose latest matching span started most recently, returned
   * most recent trace start first. Stores may stop searching after examining a bounded number of
   * spans (documented per store), so a search over a huge database answers quickly.
   */
  limit: number;
}

/** One line of a search result. */
export interface TraceSummary {
  traceId: string;
  /** Of the root span: the span without a parent id (or, when none arrived, the earliest span). */
  rootService: string;
  rootOperation: string;
  /** Earliest span start of the trace. */
  startTimeUnixNano: bigint;
  /** Latest span end minus earliest span start. */
  durationNano: bigint;
  spanCount: number;
  /** Spans whose status is ERROR. */
  errorCount: number;
  /** Distinct service names, sorted. */
  services: string[];
  /** Distinct `ml.request.id` values, sorted. */
  requestIds: string[];
}

/** A distinct (span name, kind) pair of a service. */
export interface Operation {
  name: string;
  kind: SpanKind;
}

/** The stored SERVER spans of one model in a start-time window (SpanReader.scanModelSpans). */
export interface ModelSpanQuery {
  model: string;
  /** undefined: every version. */
  version?: string;
  /** [startNano, endNano): start inclusive, end exclusive, by span start time. */
  startNano: bigint;
  endNano: bigint;
}

/** What a model span scan yields of each span: where it belongs, how to find it again, its attributes. */
export interface ModelSpan {
  traceId: string;
  startNano: bigint;
  serviceName: string;
  attributes: Attributes;
  /** The resource's attributes. */
  resource: Attributes;
}

export interface ScanResult {
  visited: number;
  /** False when the scan stopped at `limit` (or because visit asked) with spans left unread. */
  complete: boolean;
}

/**
 * Reads spans. "Not found" is a value (an empty array), never an exception. Readers return copies:
 * a caller may change what it gets without changing the store.
 */
export interface SpanReader {
  /** Every stored span of the trace, in no particular order; [] when unknown. */
  getTrace(traceId: string): Promise<SpanRecord[]>;
  /**
   * Ids of the traces with a span whose `ml.request.id` equals requestId (exact, case-sensitive),
   * each once, most recent first (by that span's start time).
   */
  findTraceIdsByRequestId(requestId: string): Promise<string[]>;
  /** As findTraceIdsByRequestId, for `enduser.pseudo.id` (an index lookup, not a scan). */
  findTraceIdsBySubject(pseudoId: string): Promise<string[]>;
  /** Summaries of the traces matching the query, most recent first. */
  findTraces(query: TraceQuery): Promise<TraceSummary[]>;
  /** Distinct service names, sorted. */
  getServices(): Promise<string[]>;
  /** The service's distinct operations, sorted by name then kind; [] for an unknown service. */
  getOperations(service: string): Promise<Operation[]>;
  /**
   * Visits the stored SERVER spans of a model that started in the window, newest first per model
   * version: those whose `ml.model.name` is the model (and `ml.model.version` the version, when
   * given), and those without `ml.model.name` whose service has the model's name (when the version
   * is undefined or ''). A narrow read that stops early: after `limit` spans, or when `visit`
   * returns false. For what drift's summaries cannot give (fine window edges, slices, exemplars).
   */
  scanModelSpans(query: ModelSpanQuery, limit: number, visit: (span: ModelSpan) => boolean | void): Promise<ScanResult>;
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
