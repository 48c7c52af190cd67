import type { ErrorSpec } from '../../shared/errors.js';

/** The query API's errors: stable codes for clients, HTTP statuses, and when each is used. */
export const QUERY_ERRORS = {
  /** A path or query parameter has the wrong form or an impossible value; the message names it. */
  invalidParameter: { code: 'invalid_parameter', status: 400 },
  /** A query parameter the endpoint does not know (a typo would otherwise silently widen a search). */
  unknownParameter: { code: 'unknown_parameter', status: 400 },
  /** No span of that trace id is stored. */
  traceNotFound: { code: 'trace_not_found', status: 404 },
  /** No stored span carries that `ml.request.id`. */
  requestNotFound: { code: 'request_not_found', status: 404 },
  /** The store failed to answer; the cause is logged. */
  storageFailed: { code: 'storage_failed', status: 500 },
} as const satisfies Record<string, ErrorSpec>;
