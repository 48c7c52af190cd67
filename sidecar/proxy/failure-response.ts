import type { ServerResponse } from 'node:http';
import { errorBody } from '../../shared/errors.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import type { UpstreamFailure } from './upstream-errors.js';

/**
 * The answer the proxy sends itself when the model call fails: the JSON error, the request id and
 * the trace it belongs to, so the client can still find what happened.
 */
function failureResponse(
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

/** Sends the failure answer; returns its body's size. */
export function sendFailure(res: ServerResponse, f: UpstreamFailure, requestId: string, traceparent: string): number {
  const { body, headers } = failureResponse(f, requestId, traceparent);
  res.writeHead(f.spec.status, headers);
  res.end(body);
  return body.length;
}
