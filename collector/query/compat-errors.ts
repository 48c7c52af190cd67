import { AppError } from '../../shared/errors.js';

/** Errors the Jaeger- and Zipkin-compatible read APIs throw (codes as in the query API on the same port). */
export function badParameter(message: string, cause?: unknown): AppError {
  return new AppError('invalid_parameter', message, { cause });
}

/** The id of a `…/trace(s)/{id}` route named neither a stored trace nor a stored request id. */
export function traceOrRequestNotFound(): AppError {
  return new AppError(
    'trace_not_found',
    'trace not found: no trace of that id is stored, and no stored span carries it as ml.request.id (it may not have arrived yet, or retention removed it)',
  );
}

/** What the compatible read APIs answer for an unexpected failure (the cause goes to the log). */
export const READ_FAILURE = "reading spans failed; the collector's log has the cause";
