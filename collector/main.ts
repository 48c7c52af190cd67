import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from './app.js';
import type { AuthGate } from './auth/auth-gate.js';
import { createAuthGate } from './auth/create-auth.js';
import type { OpenedParts } from './composition.js';
import { composeCollector } from './composition.js';
import type { CollectorConfig } from './config.js';
import type { Opening } from './open-with-retry.js';
import { openWithRetry } from './open-with-retry.js';
import { IngestCounters } from './receiver/ingest-counters.js';
import { DelegatingSpanStore } from './storage/delegating-store.js';

/**
 * The collector process, wired, one way: compose the product (composition.ts); open the database
 * with retries and build the parts that need it; listen meanwhile, with the readiness gate
 * answering 503 until the database is open. `close()` shuts down gracefully (stop accepting, let
 * in-flight requests finish so their spans are committed and acknowledged, stop background work,
 * then flush the store's write queue and close the database).
 */
export interface StartOptions {
  logger?: FastifyServerOptions['logger'];
  /** Delay between attempts to open a database that could not be opened (default 5 s). */
  storeRetryMs?: number;
}

export interface RunningCollector {
  app: FastifyInstance;
  /** The database and the parts built on it, once open. */
  opening: Opening<OpenedParts>;
  counters: IngestCounters;
  /** Tokens and scopes on every route (collector/auth/). */
  auth: AuthGate;
  /** Base URL of the listener, e.g. http://127.0.0.1:4318. */
  url: string;
  /** Graceful shutdown; safe to call more than once. */
  close(): Promise<void>;
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function startCollector(
  config: Readonly<CollectorConfig>,
  options: StartOptions = {},
): Promise<RunningCollector> {
  let app: FastifyInstance | undefined;
  let listening = false;
  // Before anything opens: a tokens file that cannot be read, or an open door on a public address, refuses the start.
  const early: ['info' | 'warn' | 'error', string][] = [];
  const auth = createAuthGate(config.auth, config.host, (level, message) =>
    app ? app.log[level](message) : early.push([level, message]),
  );
  const composition = composeCollector(config, (level, message) => app?.log[level](message));
  const counters = new IngestCounters();
  const logger = options.logger ?? { level: config.logLevel };
  const retryMs = options.storeRetryMs ?? 5000;
  const opening = openWithRetry(
    () =>
      composition.open((err) => app?.log.error({ err }, `background work on the span database failed: ${err.message}`)),
    {
      retryMs,
      onError: (err, attempt) => {
        const reason = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
        const message = `cannot open the span database "${config.db}" (attempt ${attempt}): ${reason}; ingest answers 503 until it opens, retrying every ${Math.round(retryMs / 1000)} s`;
        if (app !== undefined) app.log.error({ err }, message);
        else process.stderr.write(`infertrace collector: ${message}\n`);
      },
      onOpen: (parts, attempt) => {
        if (attempt > 1) app?.log.info(`the span database "${config.db}" is open (attempt ${attempt})`);
        if (listening) parts.start();
      },
    },
  );
  // Until the database opens, a write is refused with StoreNotOpenError (ingest: a retryable 503).
  const store = new DelegatingSpanStore(() => opening.current().store);
  app = buildApp({
    store,
    config,
    logger,
    counters,
    plugins: composition.plugins(() => opening.current()),
    health: () => opening.status(),
    healthDetails: () => {
      const retention = opening.peek()?.retention;
      return retention ? { retention: retention.health() } : {};
    },
    auth,
  });
  for (const [level, message] of early) app.log[level](message);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    await opening.close();
    auth.close();
    throw err;
  }
  listening = true;
  opening.peek()?.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const running = app;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await withTimeout(running.close(), config.shutdownTimeoutMs, 'closing the HTTP listener');
      } finally {
        auth.close();
        await withTimeout(opening.close(), config.shutdownTimeoutMs, 'closing the span database');
      }
    })();
    return closing;
  };
  return { app: running, opening, counters, auth, url, close };
}
