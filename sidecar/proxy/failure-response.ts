import { errorBody } from '../../shared/errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import type { UpstreamFailure } from './upstream-errors.js';

/**
 * The answer the proxy sends itself when the model call fails: the JSON error, the request id and
 * the trace it belongs to, so the client can still find what happened.
 */
export function failureResponse(
  f: UpstreamFailure,
  requestId: string,
  traceparent: string,
): { body: Buffer; headers: string[] } {
  const body = Buffer.from(JSON.stringify(errorBody(f.spec.code, f.message)));
  const headers = [
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    String(body.length),
    REQUEST_ID_HEADER,
    requestId,
    'server-timing',
    `trace;desc=${traceparent}`,
  ];
  // A client too slow with its body does not get to keep the connection.
  if (f.spec.code === 'client_body_timeout') headers.push('connection', 'close');
  return { body, headers };
}
