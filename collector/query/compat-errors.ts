import { AppError } from '../../shared/errors.js';

/** Errors the Jaeger- and Zipkin-compatible read APIs throw (codes as in the query API on the same port). */
export function badParameter(message: string, cause?: unknown): AppError {
  return new AppError('invalid_parameter', message, { cause });
}

export function traceNotFound(traceId: string): AppError {
  return new AppError(
    'trace_not_found',
    `trace ${traceId} not found: no span of it is stored (it may not have arrived yet, or retention removed it)`,
  );
}

/** What the compatible read APIs answer for an unexpected failure (the cause goes to the log). */
export const READ_FAILURE = "reading spans failed; the collector's log has the cause";
