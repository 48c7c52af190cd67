import type { ErrorSpec } from '../../shared/errors.js';

/** The feedback area's error table: stable codes and their HTTP statuses. */
export const FEEDBACK_ERRORS = {
  /** The body of POST /api/feedback is not one item or an array of items; the message names each problem. */
  invalidFeedback: { code: 'invalid_feedback', status: 400 },
  /** A query parameter of the performance API is malformed or unknown; the message names it. */
  invalidQuery: { code: 'invalid_query', status: 400 },
  /** The feedback store failed; the collector's log has the cause. */
  storageFailed: { code: 'feedback_storage_failed', status: 500 },
} as const satisfies Record<string, ErrorSpec>;

/*
 * Items refused one by one are listed in the answer's `rejected` (HTTP 200), with the codes of
 * prediction-join.ts: ambiguous_batch (a batch call and no row given), row_out_of_range,
 * no_prediction (the request was traced but its prediction was not captured).
 */
