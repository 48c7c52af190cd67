import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../../shared/error-codes.js';
import { isErrorCode } from '../../shared/error-codes.js';
import { AppError } from '../../shared/errors.js';
import { routeErrorsOf } from './route-errors.js';

/**
 * The collector's one HTTP error handler, set on the root instance (app.ts) so every scope
 * inherits it. Areas throw AppErrors; fastify's own failures and unexpected throws become one here,
 * in the area's words (route-errors.ts). 5xx causes go to the log, never to the client.
 */
export function collectorErrorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const e = toAppError(error, request);
  if (e.status >= 500) request.log.error({ err: error, code: e.code }, 'request failed');
  if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds));
  // The rest of an unread body would be read as the next request.
  if (!request.raw.complete) reply.header('connection', 'close');
  const envelope = routeErrorsOf(request).envelope;
  return reply.code(e.status).send(envelope === undefined ? e.toJSON() : envelope(e));
}

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
};

type Failure = Error & { code?: unknown; statusCode?: unknown; validation?: unknown };

/** Any error a route raised, as the AppError to answer with. */
function toAppError(error: Failure, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const options = routeErrorsOf(request);
  if (error.validation !== undefined) {
    return (
      options.validation?.(error as FastifyError, request) ??
      new AppError('invalid_parameter', error.message, { cause: error })
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': {
      const limit = request.routeOptions?.bodyLimit;
      const setting = options.bodyLimitSetting === undefined ? '' : ` (${options.bodyLimitSetting})`;
      const size = limit === undefined ? 'the limit' : `${limit} bytes`;
      return new AppError(
        'body_too_large',
        `the body is larger than ${size}${setting}: send less, or raise the limit`,
        { cause: error },
      );
    }
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': {
      const sent = request.headers['content-type'] ?? '';
      const accepted = options.mediaTypes === undefined ? '' : `: send ${options.mediaTypes}`;
      return new AppError('unsupported_media_type', `content-type "${sent}" is not supported${accepted}`, {
        cause: error,
      });
    }
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError(options.bodyCode ?? 'bad_request', 'the body is empty', { cause: error });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError(options.bodyCode ?? 'bad_request', `the body is not valid JSON: ${error.message}`, {
        cause: error,
      });
    default:
      break;
  }
  if (error instanceof SyntaxError) {
    return new AppError(options.bodyCode ?? 'bad_request', `the body is not valid JSON: ${error.message}`, {
      cause: error,
    });
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  if (status < 500) {
    // fastify's and Node's own codes (FST_ERR_…, ECONNRESET) never reach a client.
    const code = isErrorCode(error.code) ? error.code : (CODE_OF_STATUS[status] ?? 'bad_request');
    return new AppError(code, error.message, { cause: error });
  }
  if (options.storeFailure !== undefined) return new AppError('storage_failed', options.storeFailure, { cause: error });
  return new AppError('internal', "internal error: the collector's log has the cause", { cause: error });
}

/** The answer for a method and path no route takes. */
export function collectorNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .send(new AppError('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`).toJSON());
}
