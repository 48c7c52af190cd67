import type { ErrorSpec } from '../../shared/errors.js';

/** The drift API's errors: stable codes, HTTP statuses, and when each is used. */
export const DRIFT_ERRORS = {
  /** A query parameter is malformed, missing, repeated or unknown; the message names it. */
  invalidQuery: { code: 'invalid_query', status: 400 },
  /** An uploaded reference cannot be read (CSV/JSON shape, names, values); the message says where. */
  invalidReference: { code: 'invalid_reference', status: 400 },
  /** The upload is larger than the configured limit (INFERTRACE_DRIFT_REFERENCE_MAX_BYTES). */
  referenceTooLarge: { code: 'reference_too_large', status: 413 },
  /** The upload is neither CSV nor JSON. */
  unsupportedMediaType: { code: 'unsupported_media_type', status: 415 },
  /** No stored reference of that kind for the model (or no spans in the reference slice). */
  referenceNotFound: { code: 'reference_not_found', status: 404 },
  /** The current window holds no captured inputs or outputs of the model. */
  noObservations: { code: 'no_observations', status: 404 },
  /** The database failed; the collector's log has the cause. */
  storageFailed: { code: 'drift_storage_failed', status: 500 },
} as const satisfies Record<string, ErrorSpec>;
