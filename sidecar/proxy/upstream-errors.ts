import type { ErrorSpec } from '../../shared/errors.js';

/** The proxy's error table: what the client gets when the model server cannot answer. */
export const UPSTREAM_ERRORS = {
  unreachable: { code: 'upstream_unreachable', status: 502 },
  reset: { code: 'upstream_reset', status: 502 },
  timeout: { code: 'upstream_timeout', status: 504 },
  failed: { code: 'upstream_error', status: 502 },
  /** The client sent its body too slowly (--client-body-timeout, --client-idle-timeout). */
  clientBodyTimeout: { code: 'client_body_timeout', status: 408 },
  /** Not sent (nobody is listening); recorded on the spans and in the metrics. */
  clientAborted: { code: 'client_aborted', status: 499 },
} as const satisfies Record<string, ErrorSpec>;

export interface UpstreamFailure {
  spec: ErrorSpec;
  /** The low-level identifier (errno or undici code), recorded as `error.type` on the CLIENT span. */
  cause: string;
  /** A message a person can act on. */
  message: string;
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'ECONNABORTED']);
const TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The error's code, looking through AggregateError (IPv4 + IPv6 attempts) and `cause`. */
export function errorCode(err: unknown): string {
  const e = err as { code?: unknown; errors?: unknown[]; cause?: unknown; name?: unknown } | undefined;
  if (e && typeof e.code === 'string') return e.code;
  if (e && Array.isArray(e.errors) && e.errors.length > 0) return errorCode(e.errors[0]);
  if (e && e.cause !== undefined) return errorCode(e.cause);
  return e && typeof e.name === 'string' ? e.name : 'Error';
}

/** The first error along `err`'s cause chain (at most 8 deep) that `test` accepts. */
function findInChain(err: unknown, test: (e: object) => boolean): object | undefined {
  let e: unknown = err;
  for (let i = 0; i < 8 && typeof e === 'object' && e !== null; i++) {
    if (test(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

export function classifyUpstreamError(err: unknown, ctx: { upstream: string; timeoutMs: number; clientGone: boolean }): UpstreamFailure {
  if (ctx.clientGone) {
    return { spec: UPSTREAM_ERRORS.clientAborted, cause: UPSTREAM_ERRORS.clientAborted.code, message: 'the client closed the connection before the exchange completed; the model call was aborted' };
  }
  const cause = errorCode(err);
  if (cause === 'CLIENT_BODY_TIMEOUT') {
    const which = findInChain(err, (e) => (e as { which?: unknown }).which === 'idle') === undefined ? 'total' : 'idle';
    const setting = which === 'idle' ? '--client-idle-timeout / INFERTRACE_CLIENT_IDLE_TIMEOUT' : '--client-body-timeout / INFERTRACE_CLIENT_BODY_TIMEOUT';
    const detail = (findInChain(err, (e) => (e as { code?: unknown }).code === cause) as Error | undefined)?.message ?? 'the client sent its body too slowly';
    return { spec: UPSTREAM_ERRORS.clientBodyTimeout, cause, message: `${detail}; the call was not completed (${setting})` };
  }
  if (TIMEOUT.has(cause)) {
    return {
      spec: UPSTREAM_ERRORS.timeout,
      cause,
      message: `the model server at ${ctx.upstream} did not answer within ${ctx.timeoutMs} ms (${cause}); raise --upstream-timeout / INFERTRACE_UPSTREAM_TIMEOUT if it needs longer`,
    };
  }
  if (UNREACHABLE.has(cause)) {
    return {
      spec: UPSTREAM_ERRORS.unreachable,
      cause,
      message: `cannot connect to the model server at ${ctx.upstream} (${cause}); check that it is running and that --upstream / INFERTRACE_UPSTREAM points to it`,
    };
  }
  if (RESET.has(cause)) {
    return {
      spec: UPSTREAM_ERRORS.reset,
      cause,
      message: `the model server at ${ctx.upstream} closed the connection before it finished answering (${cause}); check its logs`,
    };
  }
  return {
    spec: UPSTREAM_ERRORS.failed,
    cause,
    message: `the call to the model server at ${ctx.upstream} failed (${cause}): ${err instanceof Error ? err.message : String(err)}`,
  };
}
