import type { ErrorCode } from './error-codes.js';
import { ERROR_CODES } from './error-codes.js';

/**
 * An error with a code from the registry (error-codes.ts), which fixes its HTTP status, a message a
 * person can act on, and its cause. Every area throws these; one error handler sends them.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Seconds after which a retry may succeed (sent as Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  toJSON(): ErrorBody {
    return errorBody(this.code, this.message);
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** The JSON body every HTTP API of the project uses for an error. */
export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}
