import type { FastifyError, FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { errorBody, stableCode } from '../shared/errors.js';
import { nowNano } from '../shared/time.js';
import type { CollectorConfig } from './config.js';
import { DEFAULTS } from './config.js';
import type { IngestOptions } from './receiver/ingest.js';
import { IngestCounters } from './receiver/ingest-counters.js';
import { ingestPlugin } from './receiver/ingest-plugin.js';
import type { ValidationLimits } from './receiver/validate.js';
import { DEFAULT_LIMITS } from './receiver/validate.js';
import type { SpanStore } from './storage/span-store.js';

/**
 * The collector's HTTP application: ingest (OTLP/HTTP, Zipkin), `/healthz`, JSON errors, and the
 * plugins it is given (query API, UI, metrics, exports) each in a scope of its own, in order.
 * It never listens: main.ts does, and tests use `inject()` or listen on port 0.
 */

/** What every plugin is handed. */
export interface CollectorContext {
  store: SpanStore;
  config: Readonly<Partial<CollectorConfig>>;
  counters: IngestCounters;
  /** Whether the collector can store spans now (as /healthz reports it). */
  health: () => StoreHealth;
}

export interface StoreHealth {
  ok: boolean;
  error?: string;
}

/** A part of the collector's HTTP API, registered by buildApp in a fastify scope of its own. */
export interface CollectorPlugin {
  name: string;
  register(app: FastifyInstance, context: CollectorContext): Promise<void> | void;
}

export interface AppDeps {
  store: SpanStore;
  /** bodyLimitBytes defaults to 64 MiB. */
  config?: Readonly<Partial<CollectorConfig>>;
  /** fastify's `logger` option (false, the default, logs nothing). */
  logger?: FastifyServerOptions['logger'];
  plugins?: readonly CollectorPlugin[];
  counters?: IngestCounters;
  limits?: ValidationLimits;
  /** The clock validation uses, in nanoseconds since the epoch. */
  now?: () => bigint;
  /** Whether the collector can store spans now; /healthz answers 503 with the reason when not. */
  health?: () => StoreHealth;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const config = deps.config ?? {};
  const bodyLimit = config.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes;
  const counters = deps.counters ?? new IngestCounters();
  // Per-request logs would cost more than ingest itself; failures are logged where they happen.
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).send(errorBody(stableCode(error, status), status >= 500 ? 'internal error: see the collector log' : error.message));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`)),
  );

  const storeHealth = deps.health ?? ((): StoreHealth => ({ ok: true }));
  app.get('/healthz', async (_request, reply) => {
    const health = storeHealth();
    if (health.ok) return { status: 'ok' };
    return reply.code(503).send({ status: 'unavailable', ...errorBody('store_unavailable', health.error ?? 'the span store is unavailable') });
  });

  const ingest: IngestOptions = {
    store: deps.store,
    counters,
    bodyLimit,
    limits: deps.limits ?? DEFAULT_LIMITS,
    now: deps.now ?? nowNano,
  };
  app.register(ingestPlugin, ingest);

  const context: CollectorContext = { store: deps.store, config, counters, health: storeHealth };
  for (const plugin of deps.plugins ?? []) {
    const scoped = async (scope: FastifyInstance): Promise<void> => {
      await plugin.register(scope, context);
    };
    Object.defineProperty(scoped, 'name', { value: plugin.name });
    app.register(scoped);
  }
  return app;
}
