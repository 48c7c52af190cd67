import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import {
  createDriftPipeline,
  type DriftPipeline,
  type DriftPipelineOptions,
} from '../../../collector/drift/drift-pipeline.js';
import type { SpanStore } from '../../../collector/storage/span-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { listenApp } from '../support/listen.js';

/** The collector app with the drift pipeline on a real SQLite file, listening on port 0. */
export interface DriftApp {
  url: string;
  store: SpanStore;
  drift: DriftPipeline;
  get(path: string): Promise<{ status: number; body: any }>;
  send(method: string, path: string, body: string, contentType: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startDriftApp(options: DriftPipelineOptions = {}): Promise<DriftApp> {
  const dir = mkdtempSync(join(tmpdir(), 'infertrace-drift-app-'));
  const drift = createDriftPipeline(options);
  const store = drift.attach(openSqliteStore({ path: join(dir, 'spans.db'), schemaSteps: AREA_SCHEMA_STEPS }));
  const listening = await listenApp({ store, plugins: [drift.plugin] });
  const answer = async (res: Response) => {
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
  };
  return {
    url: listening.url,
    store,
    drift,
    get: async (path) => answer(await fetch(`${listening.url}${path}`)),
    send: async (method, path, body, contentType) =>
      answer(await fetch(`${listening.url}${path}`, { method, body, headers: { 'content-type': contentType } })),
    async close() {
      await listening.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
