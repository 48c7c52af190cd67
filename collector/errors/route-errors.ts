import type { FastifyError, FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { ErrorCode } from '../../shared/error-codes.js';
import type { AppError } from '../../shared/errors.js';

/**
 * What an area tells the collector's one error handler about its routes, so the answer to a
 * failure fastify raised itself (a schema check, a body too large, an unexpected throw) uses the
 * area's words. Declared once per scope with `routeErrors(app, {...})`.
 */
export interface RouteErrorOptions {
  /** The error for a failed schema check, naming the parameter (default: invalid_parameter with fastify's words). */
  validation?: (error: FastifyError, request: FastifyRequest) => AppError;
  /** The code for a body that is empty or not valid JSON (default bad_request). */
  bodyCode?: ErrorCode;
  /** The setting that raises the body limit, named in a body_too_large answer. */
  bodyLimitSetting?: string;
  /** What the routes accept, named in an unsupported_media_type answer. */
  mediaTypes?: string;
  /** An unexpected failure of these routes is the database's: storage_failed with this message (default: internal). */
  storeFailure?: string;
  /** Wraps the standard `{error: {code, message}}` body (the Jaeger API's envelope). */
  envelope?: (error: AppError) => object;
}

interface WithRouteErrors {
  routeErrors?: RouteErrorOptions;
}

/** Declares the error options of every route registered after this call in the scope of `app`. */
export function routeErrors(app: FastifyInstance, options: RouteErrorOptions): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    route.config = { ...(route.config as object | undefined), routeErrors: options } as RouteOptions['config'];
  });
}

/** The error options of the route a request matched ({} for none, or no route). */
export function routeErrorsOf(request: FastifyRequest): RouteErrorOptions {
  const config = request.routeOptions?.config as WithRouteErrors | undefined;
  return config?.routeErrors ?? {};
}
