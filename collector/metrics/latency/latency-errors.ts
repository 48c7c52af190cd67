import type { ErrorSpec } from '../../../shared/errors.js';

/** The latency metrics' error table: stable codes and their HTTP statuses. */
export const LATENCY_ERRORS = {
  /** A query parameter is missing its form, out of range, repeated or unknown; the message names it. */
  invalidQuery: { code: 'invalid_query', status: 400 },
} as const satisfies Record<string, ErrorSpec>;
