import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { CollectorPlugin } from './app.js';
import { buildApp } from './app.js';
import type { CollectorConfig } from './config.js';
import { IngestCounters } from './receiver/ingest-counters.js';
import type { RetryingStore } from './retrying-store.js';
import { openWithRetry } from './retrying-store.js';
import type { SpanStore } from './storage/span-store.js';
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
  /** The HTTP API beyond ingest, in order (default: defaultPlugins). */
  plugins?: readonly CollectorPlugin[] | ((store: RetryingStore, config: Readonly<CollectorConfig>) => readonly CollectorPlugin[]);
  logger?: FastifyServerOptions['logger'];
  /** Delay between attempts to open a database that could not be opened (default 5 s). */
  storeRetryMs?: number;
}

export interface RunningCollector {
  app: FastifyInstance;
  store: RetryingStore;
  counters: IngestCounters;
  /** Base URL of the listener, e.g. http://127.0.0.1:4318. */
  url: string;
  /** Graceful shutdown; safe to call more than once. */
  close(): Promise<void>;
}

/**
 * The collector's HTTP API beyond ingest, registered in this order, each in its own scope: add the
 * query API, UI, compat read APIs and metrics here, one line each.
 */
export function defaultPlugins(_store: RetryingStore, _config: Readonly<CollectorConfig>): CollectorPlugin[] {
  return [];
}

/** The SQLite store at --db, with the configured retention by age and by size. */
export function defaultStoreOpener(config: Readonly<CollectorConfig>, onBackgroundError: (err: unknown) => void): SpanStore {
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
  const openStore = options.openStore ?? defaultStoreOpener;
  const counters = new IngestCounters();
  const logger = options.logger ?? { level: config.logLevel };
  let app: FastifyInstance | undefined;
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
    plugins: typeof options.plugins === 'function' || options.plugins === undefined
      ? (options.plugins ?? defaultPlugins)(store, config)
      : options.plugins,
    health: () => store.status(),
  });
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    await store.close();
    throw err;
  }
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
        await withTimeout(store.close(), config.shutdownTimeoutMs, 'closing the span database');
      }
    })();
    return closing;
  };
  return { app: running, store, counters, url, close };
}
