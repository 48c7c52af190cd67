import { ERROR_CODES, type ErrorCode } from '../../shared/error-codes.js';

/**
 * What the client gets when the model server cannot answer, or the client sent its body too slowly
 * (client_body_timeout: --client-body-timeout, --client-idle-timeout): a code from the registry
 * (client_aborted is not sent, as nobody is listening; it is recorded on the spans and in the metrics).
 */
type UpstreamErrorCode = Extract<ErrorCode, `upstream_${string}` | 'client_aborted' | 'client_body_timeout'>;

export interface UpstreamFailure {
  spec: { code: UpstreamErrorCode; status: number };
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

const spec = (code: UpstreamErrorCode): UpstreamFailure['spec'] => ({ code, status: ERROR_CODES[code].status });

export function classifyUpstreamError(
  err: unknown,
  ctx: { upstream: string; timeoutMs: number; clientGone: boolean },
): UpstreamFailure {
  if (ctx.clientGone) {
    return {
      spec: spec('client_aborted'),
      cause: 'client_aborted',
      message: 'the client closed the connection before the exchange completed; the model call was aborted',
    };
  }
  const cause = errorCode(err);
  if (cause === 'CLIENT_BODY_TIMEOUT') {
    const which = findInChain(err, (e) => (e as { which?: unknown }).which === 'idle') === undefined ? 'total' : 'idle';
    const setting =
      which === 'idle'
        ? '--client-idle-timeout / INFERTRACE_CLIENT_IDLE_TIMEOUT'
        : '--client-body-timeout / INFERTRACE_CLIENT_BODY_TIMEOUT';
    const detail =
      (findInChain(err, (e) => (e as { code?: unknown }).code === cause) as Error | undefined)?.message ??
      'the client sent its body too slowly';
    return { spec: spec('client_body_timeout'), cause, message: `${detail}; the call was not completed (${setting})` };
  }
  if (TIMEOUT.has(cause)) {
    return {
      spec: spec('upstream_timeout'),
      cause,
      message: `the model server at ${ctx.upstream} did not answer within ${ctx.timeoutMs} ms (${cause}); raise --upstream-timeout / INFERTRACE_UPSTREAM_TIMEOUT if it needs longer`,
    };
  }
  if (UNREACHABLE.has(cause)) {
    return {
      spec: spec('upstream_unreachable'),
      cause,
      message: `cannot connect to the model server at ${ctx.upstream} (${cause}); check that it is running and that --upstream / INFERTRACE_UPSTREAM points to it`,
    };
  }
  if (RESET.has(cause)) {
    return {
      spec: spec('upstream_reset'),
      cause,
      message: `the model server at ${ctx.upstream} closed the connection before it finished answering (${cause}); check its logs`,
    };
  }
  return {
    spec: spec('upstream_error'),
    cause,
    message: `the call to the model server at ${ctx.upstream} failed (${cause}): ${err instanceof Error ? err.message : String(err)}`,
  };
}

/** Why a model call is aborted when its client has gone: classified as the client's doing. */
export class ClientGoneError extends Error {
  readonly code = 'CLIENT_GONE';
}
