import type { ErrorCode } from '../../shared/error-codes.js';
import { AppError } from '../../shared/errors.js';

/**
 * Errors of ingest (OTLP/HTTP and Zipkin receivers): AppErrors from the one registry that also
 * carry the google.rpc.Code an OTLP Status body holds (which OTLP clients may log).
 */
export type IngestErrorCode = Extract<
  ErrorCode,
  | 'bad_payload'
  | 'bad_content_encoding'
  | 'body_aborted'
  | 'method_not_allowed'
  | 'body_too_large'
  | 'unsupported_media_type'
  | 'unsupported_content_encoding'
  | 'store_full'
  | 'store_unavailable'
  | 'internal'
  | 'too_deep'
  | 'too_many_values'
  | 'too_many_spans'
  | 'memory_budget_exceeded'
>;

/** google.rpc.Code of each: INVALID_ARGUMENT 3, CANCELLED 1, UNIMPLEMENTED 12, RESOURCE_EXHAUSTED 8, UNAVAILABLE 14, INTERNAL 13. */
const GRPC_CODE: Record<IngestErrorCode, number> = {
  bad_payload: 3,
  bad_content_encoding: 3,
  body_aborted: 1,
  method_not_allowed: 12,
  body_too_large: 8,
  unsupported_media_type: 3,
  unsupported_content_encoding: 3,
  store_full: 14,
  store_unavailable: 14,
  internal: 13,
  too_deep: 3,
  too_many_values: 8,
  too_many_spans: 8,
  memory_budget_exceeded: 14,
};

export class IngestError extends AppError {
  readonly grpc: number;

  constructor(code: IngestErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(code, message, options);
    this.name = 'IngestError';
    this.grpc = GRPC_CODE[code];
  }
}

/** Thrown by the decoders; the message says where the payload went wrong. */
export function badPayload(message: string, cause?: unknown): IngestError {
  return new IngestError('bad_payload', message, { cause });
}

/** Any error as an IngestError: unexpected ones become `internal` (500), their cause kept. */
export function asIngestError(err: unknown): IngestError {
  if (err instanceof IngestError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new IngestError('internal', `the request could not be processed: ${detail}`, { cause: err });
}
