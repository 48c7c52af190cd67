import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { ColumnRegistry } from '../../../collector/datasets/column-registry.js';
import { datasetPlugin } from '../../../collector/datasets/dataset-routes.js';
import { DatasetService } from '../../../collector/datasets/dataset-service.js';
import type { DatasetSource } from '../../../collector/datasets/dataset-source.js';
import { driftWindows } from '../../../collector/datasets/drift-windows.js';
import { createDriftPipeline, type DriftPipelineOptions } from '../../../collector/drift/drift-pipeline.js';
import type { FeedbackStore } from '../../../collector/feedback/feedback-store.js';
import type { FeedbackRecord } from '../../../collector/feedback/feedback-types.js';
import { createSqliteFeedbackStore } from '../../../collector/feedback/sqlite-feedback-store.js';
import { withSpanListeners } from '../../../collector/storage/span-listener.js';
import type { ModelSpan, SpanStore } from '../../../collector/storage/span-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import type { SqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';
import { listenApp } from '../support/listen.js';

/**
 * The dataset API on a real SQLite file (drift pipeline and feedback tables on it), listening on
 * port 0. `scans` records each scan the export ran (spans visited), to prove paging.
 */
export interface DatasetApp {
  url: string;
  store: SpanStore;
  /** The collector's database (feedback, alerts and drift tables on it). */
  db: SqliteStore['db'];
  feedback: FeedbackStore;
  service: DatasetService;
  scans: number[];
  excluded: Set<string>;
  listening: Awaited<ReturnType<typeof listenApp>>;
  fetch(path: string): Promise<Response>;
  /** The JSON answer (a manifest) of a GET. */
  json(path: string): Promise<any>;
  text(path: string): Promise<{ status: number; text: string; headers: Headers }>;
  label(requestId: string, row: number, label: string | number | boolean, atMs: number, model?: string): void;
  close(): Promise<void>;
}

export async function startDatasetApp(
  options: {
    pageSpans?: number;
    drift?: DriftPipelineOptions;
    lastDriftResolvedMs?: number;
    /** false: no column registry, so every export takes its first pass. */
    registry?: boolean;
  } = {},
): Promise<DatasetApp> {
  const dir = mkdtempSync(join(tmpdir(), 'infertrace-datasets-'));
  const drift = createDriftPipeline(options.drift ?? {});
  const sqlite = openSqliteStore({ path: join(dir, 'spans.db'), schemaSteps: AREA_SCHEMA_STEPS });
  // The database is new: the registry sees every span stored in it.
  const registry = new ColumnRegistry(-Infinity);
  const store = options.registry === false ? drift.attach(sqlite) : withSpanListeners(drift.attach(sqlite), [registry]);
  const feedback = createSqliteFeedbackStore(sqlite.db);
  const scans: number[] = [];
  const excluded = new Set<string>();
  const source: DatasetSource = {
    spans: {
      scanModelSpans: async (q, limit, visit) => {
        let n = 0;
        const result = await store.scanModelSpans(q, limit, (span: ModelSpan) => {
          n += 1;
          return visit(span);
        });
        scans.push(n);
        return result;
      },
    },
    feedback,
    ...(options.registry === false ? {} : { columns: registry }),
    driftWindows: (q) => driftWindows(drift.runtime()!.service, q, Date.now()),
    lastDriftResolvedMs: () => options.lastDriftResolvedMs,
    excludedSubjects: () => excluded,
    ...(options.pageSpans === undefined ? {} : { pageSpans: options.pageSpans }),
  };
  const service = new DatasetService(() => source);
  const listening = await listenApp({ store, plugins: [drift.plugin, datasetPlugin({ service: () => service })] });
  return {
    url: listening.url,
    store,
    db: sqlite.db,
    feedback,
    service,
    scans,
    excluded,
    listening,
    fetch: (path) => fetch(`${listening.url}${path}`),
    json: async (path) => (await fetch(`${listening.url}${path}`)).json(),
    async text(path) {
      const res = await fetch(`${listening.url}${path}`);
      return { status: res.status, text: await res.text(), headers: res.headers };
    },
    label(requestId, row, label, atMs, model = 'fraud') {
      const record: FeedbackRecord = {
        requestId,
        row,
        model,
        version: '1',
        traceId: '0'.repeat(32),
        spanId: '0'.repeat(16),
        subject: null,
        output: 'label',
        prediction: null,
        truth: typeof label === 'number' ? { kind: 'value', value: label } : { kind: 'label', label },
        predictionMs: atMs,
        feedbackMs: atMs,
        receivedMs: atMs,
        slices: {},
      };
      feedback.upsert([record]);
    },
    async close() {
      await listening.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** CSV text → header and rows of fields (the export quotes no field in these tests). */
export function parseCsv(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l !== '');
  return { header: lines[0]!.split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}
