import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { CollectorPlugin } from './app.js';
import { buildApp } from './app.js';
import type { AuthGate } from './auth/auth-gate.js';
import { createAuthGate } from './auth/create-auth.js';
import type { Composition } from './composition.js';
import { composeCollector } from './composition.js';
import type { CollectorConfig } from './config.js';
import { IngestCounters } from './receiver/ingest-counters.js';
import type { RetryingStore } from './retrying-store.js';
import { openWithRetry } from './retrying-store.js';
import type { SpanStore } from './storage/span-store.js';
import type { SqliteStore } from './storage/sqlite/sqlite-store.js';
import { openSqliteStore } from './storage/sqlite/sqlite-store.js';

/**
 * The collector process, wired: config → store → app → listen; `close()` shuts down gracefully
 * (stop accepting, let in-flight requests finish so their spans are committed and acknowledged,
 * then flush the store's write queue and close the database).
 */
export type StoreOpener = (config: Readonly<CollectorConfig>, onBackgroundError: (err: unknown) => void) => Promise<SpanStore> | SpanStore;

export interface StartOptions {
  /** Opens the store (default: defaultStoreOpener); wrap it here, e.g. withSpanListeners(...). */
  openStore?: StoreOpener;
  /** The HTTP API beyond ingest, in order (default: the composition's, see composition.ts). */
  plugins?: readonly CollectorPlugin[] | ((store: RetryingStore, config: Readonly<CollectorConfig>) => readonly CollectorPlugin[]);
  logger?: FastifyServerOptions['logger'];
  /** Delay between attempts to open a database that could not be opened (default 5 s). */
  storeRetryMs?: number;
  /** Background work started after listen and stopped before the database closes. */
  lifecycle?: Pick<Composition, 'start' | 'stop'>;
}

export interface RunningCollector {
  app: FastifyInstance;
  store: RetryingStore;
  counters: IngestCounters;
  /** The authentication gate: its mode, failure counts, and the routes it guards. */
  auth: AuthGate;
  /** Base URL of the listener, e.g. http://127.0.0.1:4318. */
  url: string;
  /** Graceful shutdown; safe to call more than once. */
  close(): Promise<void>;
}

/** The SQLite store at --db, with the configured retention by age and by size. */
export function defaultStoreOpener(config: Readonly<CollectorConfig>, onBackgroundError: (err: unknown) => void): SqliteStore {
  return openSqliteStore({
    path: config.db,
    retention: { maxAgeMs: config.retentionMs, maxBytes: config.maxDbSizeBytes ?? 0 },
    onBackgroundError,
  });
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function startCollector(config: Readonly<CollectorConfig>, options: StartOptions = {}): Promise<RunningCollector> {
  let app: FastifyInstance | undefined;
  const composed = composeDefaults(config, options, (level, message) => app?.log[level](message));
  const { openStore, plugins, lifecycle } = composed;
  // Before anything opens: a tokens file that cannot be read, or an open door on a public address, refuses the start.
  const early: ['info' | 'warn' | 'error', string][] = [];
  const auth = createAuthGate(config.auth, config.host, (level, message) => (app ? app.log[level](message) : early.push([level, message])));
  const counters = new IngestCounters();
  const logger = options.logger ?? { level: config.logLevel };
  const onBackgroundError = (err: unknown): void => {
    app?.log.error({ err }, `background work on the span database failed: ${err instanceof Error ? err.message : String(err)}`);
  };
  const retryMs = options.storeRetryMs ?? 5000;
  const store = openWithRetry(() => openStore(config, onBackgroundError), {
    retryMs,
    onError: (err, attempt) => {
      const reason = (err instanceof Error ? err.message : String(err)).replace(/\.$/, '');
      const message = `cannot open the span database "${config.db}" (attempt ${attempt}): ${reason}; ingest answers 503 until it opens, retrying every ${Math.round(retryMs / 1000)} s`;
      if (app !== undefined) app.log.error({ err }, message);
      else process.stderr.write(`infertrace collector: ${message}\n`);
    },
    onOpen: (attempt) => {
      if (attempt > 1) app?.log.info(`the span database "${config.db}" is open (attempt ${attempt})`);
    },
  });
  app = buildApp({
    store,
    config,
    logger,
    counters,
    plugins: typeof plugins === 'function' ? plugins(store, config) : plugins,
    health: () => store.status(),
    auth,
  });
  for (const [level, message] of early) app.log[level](message);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    await store.close();
    auth.close();
    throw err;
  }
  lifecycle?.start();
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
        await lifecycle?.stop().catch(() => undefined);
        await withTimeout(store.close(), config.shutdownTimeoutMs, 'closing the span database');
      }
    })();
    return closing;
  };
  return { app: running, store, counters, auth, url, close };
}

/**
 * What runs, unless the caller says otherwise: with the configuration's feature settings, the
 * composed product (composition.ts); without them (hand-made configs in tests), ingest alone.
 */
function composeDefaults(
  config: Readonly<CollectorConfig>,
  options: StartOptions,
  log: (level: 'info' | 'warn' | 'error', message: string) => void,
): { openStore: StoreOpener; plugins: NonNullable<StartOptions['plugins']>; lifecycle: StartOptions['lifecycle'] } {
  if (options.openStore !== undefined || options.plugins !== undefined || config.features === undefined) {
    return { openStore: options.openStore ?? defaultStoreOpener, plugins: options.plugins ?? [], lifecycle: options.lifecycle };
  }
  const composition = composeCollector(config, config.features, log);
  return {
    openStore: (c, onError) => composition.wrapStore(defaultStoreOpener(c, onError)),
    plugins: (store) => composition.plugins(store),
    lifecycle: options.lifecycle ?? composition,
  };
}
