import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import Fastify, { LogController } from 'fastify';
import { errorBody } from '../shared/errors.js';
import { collectorErrorHandler, collectorNotFoundHandler } from './errors/error-handler.js';
import type { AuthGate } from './auth/auth-gate.js';
import { nowNano } from '../shared/time.js';
import type { CollectorConfig } from './config.js';
import type { StoreStatus } from './open-with-retry.js';
import { readinessGate, servesBeforeOpen } from './readiness-gate.js';
import { DEFAULTS } from './config.js';
import type { IngestOptions } from './receiver/ingest.js';
import { decodeLimitsFor } from './receiver/decode-meter.js';
import { IngestCounters } from './receiver/ingest-counters.js';
import { ingestPlugin } from './receiver/ingest-plugin.js';
import { MemoryBudget } from './receiver/memory-budget.js';
import type { ValidationLimits } from './receiver/validate.js';
import { DEFAULT_LIMITS } from './receiver/validate.js';
import type { SpanStore } from './storage/span-store.js';

/**
 * The collector's HTTP application: ingest (OTLP/HTTP, Zipkin), `/healthz`, JSON errors, the
 * readiness gate, and the plugins it is given (query API, UI, metrics, exports) each in a scope of
 * its own, in order.
 * It never listens: main.ts does, and tests use `inject()` or listen on port 0.
 */

/** What every plugin is handed. */
interface CollectorContext {
  store: SpanStore;
  config: Readonly<Partial<CollectorConfig>>;
  counters: IngestCounters;
  /** The collector-wide memory budget ingest requests are charged to (its figures go on /metrics). */
  budget: MemoryBudget;
  /** The authentication gate, when the collector has one (its failure counts go on /metrics). */
  auth?: AuthGate;
  /** Whether the collector can store spans now (as /healthz reports it). */
  health: () => StoreStatus;
}

/** A part of the collector's HTTP API, registered by buildApp in a fastify scope of its own. */
export interface CollectorPlugin {
  name: string;
  /** Its routes work before the database is open (in-memory metrics), so the readiness gate lets them through. */
  servesBeforeOpen?: boolean;
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
  /** The collector-wide memory budget of ingest; by default one of config.memoryBudgetBytes. */
  budget?: MemoryBudget;
  limits?: ValidationLimits;
  /** The clock validation uses, in nanoseconds since the epoch. */
  now?: () => bigint;
  /**
   * Whether the database is open: until it is, /healthz answers 503 with the reason and so does
   * every route not marked servesBeforeOpen (readiness-gate.ts). Default: always open.
   */
  health?: () => StoreStatus;
  /** Bearer tokens and scopes (collector/auth/): one onRequest hook before every route. */
  auth?: AuthGate;
  /** Further fields of a healthy /healthz (e.g. the retention pass); nothing personal. */
  healthDetails?: () => Record<string, unknown>;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  const config = deps.config ?? {};
  const bodyLimit = config.bodyLimitBytes ?? DEFAULTS.bodyLimitBytes;
  const counters = deps.counters ?? new IngestCounters();
  const budget = deps.budget ?? new MemoryBudget(config.memoryBudgetBytes ?? DEFAULTS.memoryBudgetBytes);
  // Per-request logs would cost more than ingest itself; failures are logged where they happen.
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit,
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.setErrorHandler(collectorErrorHandler);
  app.setNotFoundHandler(collectorNotFoundHandler);

  // Authentication first: a request without a valid token learns nothing, not even readiness.
  if (deps.auth) deps.auth.attach(app);
  const health = deps.health ?? ((): StoreStatus => ({ ok: true }));
  app.addHook('onRequest', readinessGate(health));
  app.get('/healthz', { config: { servesBeforeOpen: true } }, async (_request, reply) => {
    const status = health();
    const warning = deps.auth?.healthWarning();
    if (status.ok) return { status: 'ok', ...(warning ? { warning } : {}), ...deps.healthDetails?.() };
    return reply.code(503).send({
      status: 'unavailable',
      ...errorBody('store_unavailable', status.error ?? 'the span store is unavailable'),
    });
  });

  const ingest: IngestOptions = {
    store: deps.store,
    counters,
    bodyLimit,
    limits: deps.limits ?? DEFAULT_LIMITS,
    decodeLimits: decodeLimitsFor(bodyLimit),
    budget,
    now: deps.now ?? nowNano,
  };
  // Ingest answers an unopened database itself, in its protocol's terms (a retryable 503).
  app.register(async (scope) => {
    servesBeforeOpen(scope);
    await scope.register(ingestPlugin, ingest);
  });

  const context: CollectorContext = {
    store: deps.store,
    config,
    counters,
    budget,
    health,
    ...(deps.auth ? { auth: deps.auth } : {}),
  };
  for (const plugin of deps.plugins ?? []) {
    const scoped = async (scope: FastifyInstance): Promise<void> => {
      if (plugin.servesBeforeOpen === true) servesBeforeOpen(scope);
      await plugin.register(scope, context);
    };
    Object.defineProperty(scoped, 'name', { value: plugin.name });
    app.register(scoped);
  }
  return app;
}
