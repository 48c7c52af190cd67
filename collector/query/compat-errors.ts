import type { ErrorSpec } from '../../shared/errors.js';
import { AppError } from '../../shared/errors.js';

/** The errors of the Jaeger- and Zipkin-compatible read APIs (codes as in the query API on the same port). */
export const COMPAT_ERRORS = {
  /** A query parameter is missing or cannot be read. */
  badParameter: { code: 'invalid_parameter', status: 400 },
  /** No span of the trace is stored. */
  traceNotFound: { code: 'trace_not_found', status: 404 },
  /** The span store failed to answer. */
  storeFailed: { code: 'storage_failed', status: 500 },
} as const satisfies Record<string, ErrorSpec>;

export function badParameter(message: string, cause?: unknown): AppError {
  return new AppError(COMPAT_ERRORS.badParameter, message, { cause });
}

/** The id of a `…/trace(s)/{id}` route named neither a stored trace nor a stored request id. */
export function traceOrRequestNotFound(): AppError {
  return new AppError(
    COMPAT_ERRORS.traceNotFound,
    'trace not found: no trace of that id is stored, and no stored span carries it as ml.request.id (it may not have arrived yet, or retention removed it)',
  );
}

/** Any error as an AppError: AppErrors as they are, fastify's validation errors as bad parameters. */
export function asAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { validation?: unknown; statusCode?: number; message?: string };
  if (e.validation !== undefined || e.statusCode === 400) {
    return new AppError(COMPAT_ERRORS.badParameter, e.message ?? 'bad request', { cause: err });
  }
  return new AppError(COMPAT_ERRORS.storeFailed, `reading spans failed: ${e.message ?? String(err)}`, { cause: err });
}
