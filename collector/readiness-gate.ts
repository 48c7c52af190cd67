import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import { errorBody } from '../shared/errors.js';
import type { StoreStatus } from './open-with-retry.js';

/**
 * The one answer to "the database is not open yet": every route answers 503 store_unavailable
 * with Retry-After and the reason, until the database opens, except those marked to serve before
 * (health, ingest — which answers in its own protocol's terms — and in-memory metrics).
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route works without the database (see readiness-gate.ts). */
    servesBeforeOpen?: boolean;
  }
}

const RETRY_AFTER_SECONDS = 5;

export function readinessGate(status: () => StoreStatus): onRequestHookHandler {
  return async (request, reply) => {
    // Unknown routes stay 404; marked routes serve.
    if (request.routeOptions.url === undefined || request.routeOptions.config.servesBeforeOpen === true) return;
    const s = status();
    if (s.ok) return;
    if (!request.raw.complete) reply.header('connection', 'close');
    await reply
      .code(503)
      .header('retry-after', String(RETRY_AFTER_SECONDS))
      .send(
        errorBody(
          'store_unavailable',
          `${s.error ?? 'the span database is not open yet'}; see /healthz and the collector log, and retry shortly`,
        ),
      );
  };
}

/** Marks every route registered in this scope (and its children) as serving before the database opens. */
export function servesBeforeOpen(scope: FastifyInstance): void {
  scope.addHook('onRoute', (route) => {
    route.config = { ...route.config, servesBeforeOpen: true };
  });
}
