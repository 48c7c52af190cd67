import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { AppDeps } from '../../../collector/app.js';
import { buildApp } from '../../../collector/app.js';
import { IngestCounters } from '../../../collector/receiver/ingest-counters.js';
import { memorySpanStore } from './memory-db.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

/** buildApp on a real loopback listener, port 0. */
export interface Listening {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export async function listenApp(deps: AppDeps): Promise<Listening> {
  const app = buildApp(deps);
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: address, close: () => app.close() };
}

/** A collector on a fresh memory store, with its counters; `server` is set while the file's tests run. */
export interface FileCollector {
  store: SqliteStore;
  counters: IngestCounters;
  server: Listening;
}

/** For one test file: a collector on a memory store, listening from beforeAll until afterAll. */
export function listenForFile(): FileCollector {
  const collector = { store: memorySpanStore(), counters: new IngestCounters() } as FileCollector;
  beforeAll(async () => {
    collector.server = await listenApp({ store: collector.store, counters: collector.counters });
  });
  afterAll(() => collector.server.close());
  return collector;
}
