import type { MetricSource } from '../alerts/metric-source.js';
import type { CollectorPlugin } from '../app.js';
import type { DriftOptions } from './report/drift-options.js';
import { withPipelineListener, type SpanListener } from '../storage/span-listener.js';
import type { SpanStore } from '../storage/span-store.js';
import type { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import { driftAlertSource, missingRateAlertSource } from './drift-alert-sources.js';
import { driftRoutesPlugin, type DriftRuntime } from './drift-routes.js';
import { DriftService } from './drift-service.js';
import { resolveDriftSettings, type DriftSettings } from './drift-settings.js';
import { createSqliteDriftStores } from './sqlite-drift-store.js';
import { DriftSummaries, type DriftSummaryStats } from './drift-summaries.js';
import type { RemovalResult } from './summary-erasure.js';
import type { SpanRecord } from '../../shared/span-record.js';

/**
 * Drift, wired. Created before the span store exists (the collector opens it with retries). In the
 * collector's composition (collector/composition.ts): `drift.plugin` among the plugins, and once
 * the database opens `drift.bind(sqlite)` among the store's listeners, `drift.alertSources` given
 * to the alert engine, start() and stop() with the other background work.
 *
 * bind(store) puts the drift tables' stores on the SQLite store's database, reads windows of spans
 * through the store's scanModelSpans, and returns the summaries listener (a no-op when `enabled` is false; the API then reads raw spans only).
 * start() preloads the known features and starts the flush timer; stop() stops it and flushes
 * (call it before the database closes). attach(store) does all three for a plain setup and returns
 * the store wrapped with the listener, its own properties (e.g. `db`) kept; closing it stops drift
 * first. The routes expect a bound store (the collector's readiness gate holds requests until then).
 */
export interface DriftPipelineOptions {
  settings?: Partial<DriftSettings>;
  /** Statistics options: methods, thresholds, per-feature overrides, driftShare. */
  reportOptions?: DriftOptions;
  /** Wall clock in ms. */
  clock?: () => number;
  /** Told about failed flushes and listener errors (the collector logs them). */
  onError?: (error: unknown) => void;
}

export interface DriftPipeline {
  readonly settings: DriftSettings;
  readonly plugin: CollectorPlugin;
  /** `drift` and `missing_rate` metric sources for the alert engine. */
  readonly alertSources: Readonly<Record<'drift' | 'missing_rate', MetricSource>>;
  bind(store: SqliteStore): SpanListener;
  start(): void;
  stop(): Promise<void>;
  attach(store: SqliteStore): SpanStore;
  runtime(): DriftRuntime | undefined;
  /** Merges pending summaries into the store now (no-op before bind). */
  flush(): void;
  /** Erasure: takes a data subject's spans back out of the summaries (see DriftSummaries.forget). */
  forget(spans: readonly SpanRecord[]): RemovalResult;
  stats(): DriftSummaryStats | undefined;
}

/** Features stored this recently are known again at start-up, so their absence counts as missing. */
const PRELOAD_MS = 86_400_000;

export function createDriftPipeline(options: DriftPipelineOptions = {}): DriftPipeline {
  const settings = resolveDriftSettings(options.settings);
  const clock = options.clock ?? Date.now;
  const onError = options.onError ?? (() => {});
  let runtime: DriftRuntime | undefined;
  let summaries: DriftSummaries | undefined;

  const bound = (): DriftRuntime => {
    if (runtime === undefined) throw new Error('drift is not bound to a span store yet');
    return runtime;
  };
  const lazy =
    (make: (s: DriftService) => MetricSource): MetricSource =>
    async (rule, nowMs) =>
      make(bound().service)(rule, nowMs);

  let started = false;
  const start = (): void => {
    started = true;
    if (summaries === undefined || !settings.enabled) return;
    summaries.preload(clock() - PRELOAD_MS);
    summaries.start();
  };
  const bind = (store: SqliteStore): SpanListener => {
    const stores = createSqliteDriftStores(store.db);
    const spans = store;
    const s = new DriftSummaries(stores.summaries, settings, onError);
    summaries = s;
    const service = new DriftService({
      stores,
      spans,
      settings,
      clock,
      flush: () => s.flush(),
      ...(options.reportOptions ? { reportOptions: options.reportOptions } : {}),
    });
    runtime = { service, references: stores.references };
    if (started) start();
    return settings.enabled ? s : { name: 'drift-summaries (off)', onSpans: () => {} };
  };
  const stop = async (): Promise<void> => {
    started = false;
    summaries?.stop();
  };

  return {
    settings,
    plugin: driftRoutesPlugin({ runtime: bound, settings, clock }),
    alertSources: { drift: lazy(driftAlertSource), missing_rate: lazy(missingRateAlertSource) },
    bind,
    start,
    stop,
    attach(store) {
      const listener = bind(store);
      start();
      return withPipelineListener(store, listener, onError, async () => {
        await stop();
        runtime = undefined;
        summaries = undefined;
      });
    },
    runtime: () => runtime,
    flush: () => summaries?.flush(),
    forget: (spans) => summaries?.forget(spans) ?? { removed: 0, notFound: 0 },
    stats: () => summaries?.stats(),
  };
}
