/**
 * Every error code infertrace answers with, once: its HTTP status and what it means. Areas throw
 * `new AppError(code, message)` (errors.ts) and the message says what to do; clients branch on the
 * code. docs/errors.md is this table in prose. Codes are lower_snake_case and never reused for a
 * second meaning; a renamed code is listed in docs/errors.md.
 */
export interface ErrorCodeSpec {
  status: number;
  meaning: string;
}

export const ERROR_CODES = {
  // 400: the request cannot be read or is impossible; the message names the part at fault.
  invalid_parameter: {
    status: 400,
    meaning: 'a path or query parameter is malformed, missing, repeated or out of range',
  },
  unknown_parameter: {
    status: 400,
    meaning: 'a query parameter the endpoint does not know (a typo would silently widen a search)',
  },
  bad_request: { status: 400, meaning: 'the request is malformed in a way no more specific code names' },
  bad_payload: { status: 400, meaning: 'an ingest body is not a decodable OTLP or Zipkin message' },
  bad_content_encoding: { status: 400, meaning: 'a gzip body that does not inflate' },
  too_deep: { status: 400, meaning: 'a JSON ingest body nested deeper than 256 levels, refused before parsing' },
  body_aborted: { status: 400, meaning: 'the sender went away before the body was read completely' },
  invalid_reference: {
    status: 400,
    meaning: 'an uploaded drift reference cannot be read (CSV/JSON shape, names, values)',
  },
  invalid_rule: { status: 400, meaning: 'an alert rule posted to the API is malformed' },
  unknown_metric: { status: 400, meaning: "an alert rule's metric has no source in this collector" },
  unknown_receiver: { status: 400, meaning: 'an alert rule names a receiver the rules file does not define' },
  invalid_feedback: { status: 400, meaning: 'the body of POST /api/feedback is not one item or an array of items' },
  invalid_subject: {
    status: 400,
    meaning: 'a subject given as a pseudonym is not `hmac:<keyid>:<64 hex>` (or the subject is empty)',
  },
  unknown_key_id: {
    status: 400,
    meaning: "a subject's pseudonym names a key id that is not in the collector's keyring",
  },
  invalid_rectification: {
    status: 400,
    meaning:
      'a rectification is malformed: field not input.<name> or label, a row not the subject’s, a value of the wrong kind',
  },
  no_subject_key: {
    status: 400,
    meaning: 'a subject given as a raw id, but the collector has no pseudonymisation key to turn it into pseudonyms',
  },
  // 401/403: authentication and scopes (collector/auth/).
  unauthenticated: {
    status: 401,
    meaning: 'no bearer token, or one the collector does not know (missing, malformed, unknown or revoked)',
  },
  forbidden: {
    status: 403,
    meaning: 'the token is valid but lacks the scope this route needs (ingest, read, feedback, admin, privacy)',
  },
  // 404: nothing stored matches.
  not_found: { status: 404, meaning: 'no route for this method and path' },
  trace_not_found: { status: 404, meaning: 'no span of the trace is stored' },
  request_not_found: { status: 404, meaning: 'no stored span carries that ml.request.id' },
  reference_not_found: { status: 404, meaning: 'no stored drift reference of that kind for the model' },
  no_observations: { status: 404, meaning: 'the drift window holds no captured inputs or outputs of the model' },
  rule_not_found: { status: 404, meaning: 'no alert rule has that id' },
  subject_request_not_found: { status: 404, meaning: 'no subject-rights request has that id' },
  subject_record_not_found: {
    status: 404,
    meaning: 'a rectification names a request (and field or row) the subject has no stored value for',
  },
  method_not_allowed: { status: 405, meaning: 'the endpoint does not take this method' },
  rule_exists: { status: 409, meaning: 'an alert rule with this id exists already' },
  rule_from_file: { status: 409, meaning: 'the alert rule comes from the rules file: edit the file instead' },
  body_too_large: {
    status: 413,
    meaning: 'the body is larger than the configured limit (the message names the setting)',
  },
  too_many_values: {
    status: 413,
    meaning:
      'an ingest body would make the decoder build more values than its limit (one per 16 bytes of --body-limit)',
  },
  too_many_spans: {
    status: 413,
    meaning: 'an ingest body holds more spans than its limit (one per 512 bytes of --body-limit)',
  },
  unsupported_media_type: { status: 415, meaning: 'the Content-Type is not one the endpoint reads' },
  unsupported_content_encoding: { status: 415, meaning: 'the Content-Encoding is neither identity nor gzip' },
  client_body_timeout: {
    status: 408,
    meaning: 'the client sent its body too slowly (sidecar: --client-body-timeout, --client-idle-timeout)',
  },
  client_aborted: { status: 499, meaning: 'the client closed the connection (sidecar; recorded on spans, never sent)' },
  // 5xx: the server failed; 503s are retryable, with Retry-After where the server knows when.
  internal: { status: 500, meaning: "an unexpected failure; the collector's log has the cause" },
  storage_failed: { status: 500, meaning: "the database failed to answer; the collector's log has the cause" },
  db_cantopen: { status: 500, meaning: 'the database file cannot be opened or created' },
  db_corrupt: { status: 500, meaning: 'the database file is damaged or not an SQLite database' },
  db_io: { status: 500, meaning: 'the operating system reported an I/O error on the database' },
  db_too_new: { status: 500, meaning: 'the database was written by a newer infertrace' },
  db_error: { status: 500, meaning: 'any other database failure' },
  upstream_unreachable: { status: 502, meaning: 'the sidecar cannot connect to the model server' },
  upstream_reset: { status: 502, meaning: 'the model server closed the connection before it finished answering' },
  upstream_error: { status: 502, meaning: 'the call to the model server failed otherwise' },
  store_unavailable: {
    status: 503,
    meaning: 'the database cannot take reads or writes now (still opening, full, read-only); retry',
  },
  memory_budget_exceeded: {
    status: 503,
    meaning: "requests in flight hold the collector's whole memory budget (--memory-budget); retry after Retry-After",
  },
  store_full: { status: 503, meaning: "the store's write queue is full; retry after Retry-After" },
  db_readonly: { status: 503, meaning: 'the database file or its folder is read-only' },
  db_busy: { status: 503, meaning: 'another process holds a lock on the database' },
  db_closed: { status: 503, meaning: 'the database was closed (the collector is shutting down)' },
  draining: { status: 503, meaning: 'the sidecar is shutting down and finishing in-flight requests' },
  upstream_unready: { status: 503, meaning: "the model server's readiness check fails" },
  upstream_timeout: { status: 504, meaning: 'the model server did not answer within the upstream timeout' },
  db_full: { status: 507, meaning: "the disk (or the database's page limit) is full" },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);
}
