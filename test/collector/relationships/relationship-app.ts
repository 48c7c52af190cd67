import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { createDriftPipeline, type DriftPipelineOptions } from '../../../collector/drift/drift-pipeline.js';
import {
  createRelationshipPipeline,
  type RelationshipPipeline,
} from '../../../collector/relationships/relationship-pipeline.js';
import type { RelationshipSettings } from '../../../collector/relationships/relationship-settings.js';
import { withSpanListeners } from '../../../collector/storage/span-listener.js';
import type { SpanStore } from '../../../collector/storage/span-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { listenApp } from '../support/listen.js';

/** The collector app with drift and relationships on a real SQLite file, listening on port 0. */
export interface RelationshipApp {
  url: string;
  store: SpanStore;
  relationships: RelationshipPipeline;
  get(path: string): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startRelationshipApp(
  options: DriftPipelineOptions & { relationships?: Partial<RelationshipSettings> } = {},
): Promise<RelationshipApp> {
  const dir = mkdtempSync(join(tmpdir(), 'infertrace-relationships-app-'));
  const drift = createDriftPipeline(options);
  const relationships = createRelationshipPipeline({
    drift,
    settings: options.relationships ?? {},
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const sqlite = openSqliteStore({ path: join(dir, 'spans.db'), schemaSteps: AREA_SCHEMA_STEPS });
  const store = withSpanListeners(sqlite, [drift.bind(sqlite), relationships.bind(sqlite)]);
  drift.start();
  relationships.start();
  const listening = await listenApp({ store, plugins: [drift.plugin, relationships.plugin] });
  return {
    url: listening.url,
    store,
    relationships,
    async get(path) {
      const res = await fetch(`${listening.url}${path}`);
      const text = await res.text();
      return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
    },
    async close() {
      await listening.close();
      await relationships.stop();
      await drift.stop();
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
