import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody } from '../../shared/errors.js';
import { DRIFT_ERRORS } from './drift-errors.js';

/**
 * The drift routes' error handler: AppErrors as they are; fastify's own failures (schema, body too
 * large, media type, malformed JSON) as drift codes with a message saying what to change; anything
 * else is a database failure, logged with its cause.
 */
type Failure = FastifyError & { validation?: { instancePath: string; keyword: string; message?: string; params?: Record<string, unknown> }[] };

function send(reply: FastifyReply, spec: { code: string; status: number }, message: string): FastifyReply {
  return reply.status(spec.status).send(errorBody(spec.code, message));
}

export function validationMessage(err: Failure, known: readonly string[]): string {
  const first = err.validation?.[0];
  const name = first?.instancePath.replace(/^\//, '') || String(first?.params?.missingProperty ?? '');
  if (first?.keyword === 'not') return `unknown query parameter "${name}"; this endpoint takes ${known.join(', ')}`;
  if (first?.keyword === 'maxLength') return `${name} is longer than 1024 characters`;
  return `${name || 'the query'} must be given at most once, as text`;
}

export function driftErrorHandler(known: Record<string, readonly string[]>, maxBytes: number) {
  return (err: Failure | AppError, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (err instanceof AppError) return send(reply, err, err.message);
    if (err.validation !== undefined) {
      const path = req.routeOptions.url ?? '';
      return send(reply, DRIFT_ERRORS.invalidQuery, validationMessage(err, known[path] ?? []));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, DRIFT_ERRORS.referenceTooLarge,
          `the reference is larger than ${maxBytes} bytes (INFERTRACE_DRIFT_REFERENCE_MAX_BYTES): upload a sample of the training data, or raise the limit`);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, DRIFT_ERRORS.unsupportedMediaType,
          `content-type "${req.headers['content-type'] ?? ''}" is not supported: send text/csv (a header row of feature names) or application/json`);
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return send(reply, DRIFT_ERRORS.invalidReference, 'the body is empty: send the reference as CSV or JSON');
      default:
        break;
    }
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return send(reply, DRIFT_ERRORS.invalidReference, `the body is not valid JSON: ${err.message}`);
    }
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status < 500) return reply.status(status).send(errorBody(DRIFT_ERRORS.invalidQuery.code, err.message));
    req.log.error({ err }, 'drift request failed');
    return send(reply, DRIFT_ERRORS.storageFailed, "the drift data could not be read or written; the collector's log has the cause");
  };
}
