import type { SpanRecord } from '../../shared/span-record.js';
import type { CollectorPlugin } from '../app.js';
import type { DriftPipeline } from '../drift/drift-pipeline.js';
import type { RemovalResult } from '../drift/summary-erasure.js';
import { withPipelineListener, type SpanListener } from '../storage/span-listener.js';
import type { SpanStore } from '../storage/span-store.js';
import type { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { relationshipRoutesPlugin } from './relationship-routes.js';
import { RelationshipService } from './relationship-service.js';
import { resolveRelationshipSettings, type RelationshipSettings } from './relationship-settings.js';
import { RelationshipSummaries, type RelationshipSummaryStats } from './relationship-summaries.js';
import { createSqliteRelationshipStore } from './sqlite-relationship-store.js';

/**
 * Relationships, wired beside drift (whose buckets, flush interval, retention, raw-read limits and
 * references they share). In the collector's composition: `relationships.plugin` among the plugins,
 * and once the database opens `relationships.bind(sqlite)` among the store's listeners, start() and
 * stop() with the other background work.
 *
 * bind(store) puts the summaries on the SQLite store's database (table from relationship-schema.ts),
 * reads windows of spans through the store's scanModelSpans, and returns the listener (a no-op when
 * relationships or drift are switched off; the API then reads raw spans only). attach(store)
 * binds, starts, and returns the store wrapped with the listener; closing it stops them first.
 */
export interface RelationshipPipelineOptions {
  drift: DriftPipeline;
  settings?: Partial<RelationshipSettings>;
  clock?: () => number;
  onError?: (error: unknown) => void;
}

export interface RelationshipPipeline {
  readonly settings: RelationshipSettings;
  readonly plugin: CollectorPlugin;
  bind(store: SqliteStore): SpanListener;
  start(): void;
  stop(): Promise<void>;
  attach(store: SqliteStore): SpanStore;
  flush(): void;
  /** Erasure: takes a data subject's spans back out of the relationship summaries. */
  forget(spans: readonly SpanRecord[]): RemovalResult;
  stats(): RelationshipSummaryStats | undefined;
}

export function createRelationshipPipeline(options: RelationshipPipelineOptions): RelationshipPipeline {
  const settings = resolveRelationshipSettings(options.settings);
  const drift = options.drift.settings;
  const clock = options.clock ?? Date.now;
  const onError = options.onError ?? (() => {});
  const summarising = settings.enabled && drift.enabled;
  let summaries: RelationshipSummaries | undefined;
  let service: RelationshipService | undefined;
  let started = false;

  const start = (): void => {
    started = true;
    if (summarising) summaries?.start();
  };
  const stop = async (): Promise<void> => {
    started = false;
    summaries?.stop();
  };
  const bind = (store: SqliteStore): SpanListener => {
    const pairs = createSqliteRelationshipStore(store.db, settings.maxLabels);
    const s = new RelationshipSummaries(pairs, drift, settings, onError);
    summaries = s;
    service = new RelationshipService({
      window: {
        store: pairs,
        spans: store,
        bucketWidthMs: drift.bucketWidthMs,
        maxRawSpans: drift.maxRawSpans,
        maxLabels: settings.maxLabels,
        summaries: summarising,
      },
      references: () => options.drift.runtime()?.references,
      flush: () => s.flush(),
      maxSlices: drift.maxSlices,
    });
    if (started) start();
    return summarising ? s : { name: 'relationship-summaries (off)', onSpans: () => {} };
  };
  const bound = (): RelationshipService => {
    if (service === undefined) throw new Error('relationships are not bound to a span store yet');
    return service;
  };

  return {
    settings,
    plugin: relationshipRoutesPlugin({ service: bound, maxExemplars: drift.maxExemplars, clock }),
    bind,
    start,
    stop,
    attach(store) {
      const listener = bind(store);
      start();
      return withPipelineListener(store, listener, onError, async () => {
        await stop();
        service = undefined;
        summaries = undefined;
      });
    },
    flush: () => summaries?.flush(),
    forget: (spans) => summaries?.forget(spans) ?? { removed: 0, notFound: 0 },
    stats: () => summaries?.stats(),
  };
}
