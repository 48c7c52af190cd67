import type { ErrorSpec } from '../../shared/errors.js';
import { AppError } from '../../shared/errors.js';

/**
 * The error table of ingest (OTLP/HTTP and Zipkin receivers). Each error has a stable code and the
 * HTTP status the OTLP/HTTP specification asks for; `grpc` is the google.rpc.Code put in the
 * Status body, which OTLP clients may log.
 */
export interface IngestErrorSpec extends ErrorSpec {
  grpc: number;
}

export const IngestErrors = {
  /** The body is not a decodable OTLP/Zipkin message (bad protobuf, bad JSON, wrong shape). */
  badPayload: { code: 'bad_payload', status: 400, grpc: 3 },
  /** A JSON body nested deeper than MAX_JSON_DEPTH (see metered-json.ts). */
  tooDeep: { code: 'too_deep', status: 400, grpc: 3 },
  /** A gzip body that does not inflate. */
  badEncoding: { code: 'bad_content_encoding', status: 400, grpc: 3 },
  methodNotAllowed: { code: 'method_not_allowed', status: 405, grpc: 12 },
  bodyTooLarge: { code: 'body_too_large', status: 413, grpc: 8 },
  /** The body would make the decoder build more values than the limit (see decode-meter.ts). */
  tooManyValues: { code: 'too_many_values', status: 413, grpc: 8 },
  /** The body holds more spans than the limit (see decode-meter.ts). */
  tooManySpans: { code: 'too_many_spans', status: 413, grpc: 8 },
  unsupportedMediaType: { code: 'unsupported_media_type', status: 415, grpc: 3 },
  unsupportedEncoding: { code: 'unsupported_content_encoding', status: 415, grpc: 3 },
  /** The store's write queue is full: retryable, with Retry-After. */
  storeFull: { code: 'store_full', status: 503, grpc: 14 },
  /** The database cannot take writes now (disk full, read-only file, I/O error): retryable. */
  storeUnavailable: { code: 'store_unavailable', status: 503, grpc: 14 },
  /** Requests in flight hold the collector's whole memory budget: retryable, with Retry-After. */
  memoryBudgetExceeded: { code: 'memory_budget_exceeded', status: 503, grpc: 14 },
  /** The sender went away before the body was read completely. */
  bodyAborted: { code: 'body_aborted', status: 400, grpc: 1 },
  internal: { code: 'internal', status: 500, grpc: 13 },
} as const satisfies Record<string, IngestErrorSpec>;

/** An AppError that may carry the seconds after which the sender should retry. */
export class IngestError extends AppError {
  readonly grpc: number;
  readonly retryAfterSeconds: number | undefined;

  constructor(spec: IngestErrorSpec, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(spec, message, options);
    this.name = 'IngestError';
    this.grpc = spec.grpc;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** Thrown by the decoders; the message says where the payload went wrong. */
export function badPayload(message: string, cause?: unknown): IngestError {
  return new IngestError(IngestErrors.badPayload, message, { cause });
}

/** Any error as an IngestError: unexpected ones become `internal` (500), their cause kept. */
export function asIngestError(err: unknown): IngestError {
  if (err instanceof IngestError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new IngestError(IngestErrors.internal, `the request could not be processed: ${detail}`, { cause: err });
}
