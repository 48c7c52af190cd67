import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors.js';
import type { SubjectRights } from './subject-rights.js';

/**
 * One route of the subject-rights API: each action file under actions/ exports its routes, and
 * subject-routes.ts registers the table. A subject is always named in a POST body (`{"subject":
 * "..."}`), never in a URL, so a raw id cannot end up in an access log.
 */
interface SubjectRouteContext {
  rights: SubjectRights;
  /** The name of the token that asked ('' without authentication), for the audit log. */
  token: string;
}

export interface SubjectRoute {
  method: 'GET' | 'POST';
  /** Under /api/subjects/ (the privacy scope: collector/auth/route-access.ts). */
  url: string;
  /** `reply` only for what the answer needs beyond its body (headers of a streamed export). */
  handle(request: FastifyRequest, context: SubjectRouteContext, reply: FastifyReply): Promise<unknown> | unknown;
}

/** The body as an object; an AppError when it is not one. */
export function bodyObject(request: FastifyRequest): Record<string, unknown> {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new AppError('bad_request', 'the body must be a JSON object such as {"subject": "hmac:<keyid>:<hex>"}');
  return body as Record<string, unknown>;
}

/** The body's `subject` text; an AppError (never echoing the value) when it is missing or not text. */
export function subjectText(body: Record<string, unknown>): string {
  const subject = body['subject'];
  if (typeof subject !== 'string' || subject === '')
    throw new AppError('invalid_subject', 'the body needs "subject": a pseudonym hmac:<keyid>:<hex> or a raw id');
  return subject;
}
