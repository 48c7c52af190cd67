import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CollectorPlugin } from '../../../collector/app.js';
import type { StoreStatus as StoreHealth } from '../../../collector/open-with-retry.js';
import { jaegerCompatPlugin, zipkinCompatPlugin } from '../../../collector/query/compat-plugins.js';
import { queryRoutes } from '../../../collector/query/routes.js';
import { TraceService } from '../../../collector/query/trace-service.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { Listening } from '../support/listen.js';
import { listenApp } from '../support/listen.js';

/**
 * A collector with its three read APIs (own, Jaeger under /jaeger, Zipkin) sharing one
 * TraceService, over a SQLite file in a temp folder, on a loopback listener: spans go in over
 * HTTP and come back out of each API.
 */
export interface ReadApis {
  url: string;
  store: SqliteStore;
  close(): Promise<void>;
}

export interface ReadApisOptions {
  /** The read APIs' clock, in nanoseconds. */
  now?: () => bigint;
  /** What /healthz and /health report. */
  health?: () => StoreHealth;
}

export async function startReadApis(options: ReadApisOptions = {}): Promise<ReadApis> {
  const { now } = options;
  const dir = mkdtempSync(join(tmpdir(), 'infertrace-read-apis-'));
  const store = openSqliteStore({ path: join(dir, 'spans.db') });
  const traces = new TraceService(store);
  const query: CollectorPlugin = {
    name: 'query',
    register: async (app) => {
      await app.register(queryRoutes({ traces }));
    },
  };
  let server: Listening;
  try {
    server = await listenApp({
      store,
      ...(options.health === undefined ? {} : { health: options.health }),
      plugins: [
        query,
        jaegerCompatPlugin(traces, now === undefined ? {} : { now }),
        zipkinCompatPlugin(traces, now === undefined ? {} : { now }),
      ],
    });
  } catch (error) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: server.url,
    store,
    async close() {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs Zipkin v2 JSON spans; resolves to the status and the body (if any). */
export async function postZipkin(
  url: string,
  spans: unknown[],
  path = '/api/v2/spans',
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spans),
  });
  return { status: res.status, body: await res.text() };
}

/** GETs JSON; resolves to the status, headers and parsed body. */
export async function getJson<T>(url: string): Promise<{ status: number; headers: Headers; body: T }> {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}
