import { datasetBatches, emptyStats, type ExportStats } from './dataset-rows.js';
import type { Column } from './dataset-columns.js';
import { datasetManifest, type DatasetManifest } from './dataset-manifest.js';
import { planDataset, type DatasetPlan } from './dataset-plan.js';
import type { DatasetQuery } from './dataset-query.js';
import type { DatasetSource } from './dataset-source.js';
import { formatWriter } from './formats/dataset-formats.js';

/**
 * Exports datasets: plan (first pass: columns, expected rows), then stream the file's bytes
 * (second pass, one page at a time, pulled by the consumer so a slow or gone client stops the
 * reading), and the manifest of the same query. `active` counts exports whose stream is open, so
 * a test can see that a disconnect leaves none behind.
 */
export interface DatasetExport {
  plan: DatasetPlan;
  columns: readonly Column[];
  contentType: string;
  extension: string;
  stats: ExportStats;
  /** The file's bytes in order; stop iterating to stop the export. */
  chunks(): AsyncGenerator<Uint8Array>;
}

export class DatasetService {
  private open = 0;

  constructor(
    private readonly source: () => DatasetSource,
    private readonly clock: () => number = Date.now,
  ) {}

  get active(): number {
    return this.open;
  }

  async export(query: DatasetQuery): Promise<DatasetExport> {
    const source = this.source();
    const plan = await planDataset(source, query);
    const writer = formatWriter(query.format, plan.columns);
    const stats = emptyStats();
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the generator below counts itself open
    const service = this;
    return {
      plan,
      columns: plan.columns,
      contentType: writer.contentType,
      extension: writer.extension,
      stats,
      async *chunks() {
        service.open += 1;
        try {
          const head = writer.begin();
          if (head !== undefined) yield head;
          for await (const batch of datasetBatches(source, plan, stats)) {
            const bytes = writer.write(batch);
            if (bytes !== undefined) yield bytes;
          }
          const tail = writer.end();
          if (tail !== undefined) yield tail;
        } finally {
          service.open -= 1;
        }
      },
    };
  }

  /** The manifest of the query: the same two passes, rows counted instead of written. */
  async manifest(query: DatasetQuery): Promise<DatasetManifest> {
    const source = this.source();
    const plan = await planDataset(source, query);
    const stats = emptyStats();
    for await (const batch of datasetBatches(source, plan, stats)) void batch;
    let windows = plan.drift;
    let driftNote: string | undefined;
    if (
      windows === undefined &&
      source.driftWindows !== undefined &&
      plan.query.range.startMs < plan.query.range.endMs
    ) {
      try {
        windows = await source.driftWindows(plan.query);
      } catch (err) {
        driftNote = err instanceof Error ? err.message : String(err);
      }
    }
    return datasetManifest({ plan, stats, windows, driftNote, createdMs: this.clock() });
  }
}
