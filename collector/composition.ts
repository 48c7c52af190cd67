import { createAlerting } from './alerts/create-alerting.js';
import type { AlertEngine } from './alerts/alert-engine.js';
import { alertPlugin } from './alerts/alert-routes.js';
import { loadAlertRulesFile } from './alerts/rules-file.js';
import { createSqliteAlertStore } from './alerts/sqlite-alert-store.js';
import type { CollectorPlugin } from './app.js';
import { consolePlugin } from './console/console-plugin.js';
import { lastDriftResolvedMs } from './alerts/last-drift-resolution.js';
import { ColumnRegistry } from './datasets/column-registry.js';
import { datasetPlugin } from './datasets/dataset-routes.js';
import { DatasetService } from './datasets/dataset-service.js';
import { driftWindows } from './datasets/drift-windows.js';
import { AREA_SCHEMA_STEPS } from './area-schema.js';
import { jaegerCompatPlugin, zipkinCompatPlugin } from './query/compat-plugins.js';
import type { CollectorConfig } from './config.js';
import { createDriftPipeline } from './drift/drift-pipeline.js';
import { createSqliteDriftStores } from './drift/sqlite-drift-store.js';
import { estimateAlertSources } from './estimated-performance/estimate-alert-sources.js';
import { estimatedPerformancePlugin } from './estimated-performance/estimate-routes.js';
import { EstimateService } from './estimated-performance/estimate-service.js';
import { exportStatusPlugin } from './forwarding/export-status-plugin.js';
import type { Forwarding } from './forwarding/forwarding.js';
import { createForwarding } from './forwarding/forwarding.js';
import { feedbackPlugin } from './feedback/feedback-routes.js';
import { FeedbackService } from './feedback/feedback-service.js';
import { createSqliteFeedbackStore } from './feedback/sqlite-feedback-store.js';
import { ingestMetricSource } from './metrics/ingest-metrics.js';
import { LatencyMetrics } from './metrics/latency/latency-metrics.js';
import { latencyRoutes } from './metrics/latency/latency-routes.js';
import { MetricRegistry } from './metrics/latency/prometheus/metric-registry.js';
import { metricsRoute } from './metrics/latency/prometheus/metrics-route.js';
import { registerRedMetrics } from './metrics/latency/prometheus/red-metrics.js';
import { withSpanListeners } from './storage/span-listener.js';
import { queryRoutes } from './query/routes.js';
import { TraceService } from './query/trace-service.js';
import { createRelationshipPipeline } from './relationships/relationship-pipeline.js';
import type { StorageError } from './storage/storage-errors.js';
import type { SqliteStore } from './storage/sqlite/sqlite-store.js';
import { openSqliteStore } from './storage/sqlite/sqlite-store.js';
import { ForwardingHold } from './subjects/forwarding-hold.js';
import { RestrictedReader } from './subjects/restricted-reader.js';
import { skippingSubjects } from './subjects/restriction-listeners.js';
import { Restrictions } from './subjects/restrictions.js';
import type { SpanStore } from './storage/span-store.js';
import { createRetentionPolicy } from './retention/create-retention.js';
import type { RetentionPolicy } from './retention/retention-policy.js';
import { retentionPlugin } from './retention/retention-routes.js';
import { SubjectRights } from './subjects/subject-rights.js';
import { subjectRightsPlugin } from './subjects/subject-routes.js';
import { RESUMABLE_ACTIONS } from './subjects/resumable-actions.js';

/**
 * The whole collector product, composed: what exists from the start (latency sketches, the
 * metrics registry, the drift pipeline, every HTTP API in order) and what is built once the
 * database opens (the span store with its listeners; feedback, alerts, forwarding and drift, each
 * keeping tables in it). main.ts opens with retries and gates the APIs until then.
 */
export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** The parts that need the open database. */
export interface OpenedParts {
  /** The SQLite store, with the listeners that derive from the span stream. */
  store: SpanStore;
  feedback: FeedbackService;
  /** Accuracy estimated from class probabilities, beside the realised accuracy. */
  estimates: EstimateService;
  alerts: AlertEngine;
  forwarding: Forwarding;
  /** Every table's limit, one background pass, and the status behind GET /api/retention. */
  retention: RetentionPolicy;
  /** Captured traffic as training datasets. */
  datasets: DatasetService;
  /** Restriction (Art. 18) and objection (Art. 21) of data subjects. */
  restrictions: Restrictions;
  /** What forwarding holds back of restricted subjects, released when lifted. */
  forwardingHold: ForwardingHold;
  /** The data subject's rights: identification, erasure, the audit log of requests. */
  subjects: SubjectRights;
  /** After the listener is up: starts their background work. */
  start(): void;
  /** Stops their background work (what is unsent stays in its tables), then closes the database. */
  close(): Promise<void>;
}

export interface Composition {
  /** Opens the SQLite store with every area's schema steps and builds the parts that need it; throws if it cannot. */
  open(onBackgroundError: (error: StorageError) => void): OpenedParts;
  /** The HTTP API beyond ingest, in order; `parts` is called only once the database is open. */
  plugins(parts: () => OpenedParts): CollectorPlugin[];
}

export function composeCollector(config: Readonly<CollectorConfig>, log: Log): Composition {
  const settings = config.features;
  // Fail at start-up, not at the first evaluation, on a rules file that does not parse.
  if (settings.alerts.rulesFile !== undefined) loadAlertRulesFile(settings.alerts.rulesFile);

  const latency = new LatencyMetrics(settings.latency);
  const drift = createDriftPipeline({
    settings: settings.drift,
    onError: (err) => log('error', `drift summaries: ${String(err)}`),
  });
  const relationships = createRelationshipPipeline({
    drift,
    settings: settings.relationships,
    onError: (err) => log('error', `relationship summaries: ${String(err)}`),
  });
  const registry = new MetricRegistry();
  registerRedMetrics(registry, latency);

  const build = (sqlite: SqliteStore): OpenedParts => {
    const feedback = new FeedbackService({
      spans: sqlite,
      store: createSqliteFeedbackStore(sqlite.db),
      join: { outputs: settings.feedback.outputs },
      pending: settings.feedback.pending,
      log: (m) => log('warn', m),
    });
    const estimates = new EstimateService({
      spans: sqlite,
      feedback: feedback.store,
      maxRawSpans: settings.drift.maxRawSpans,
    });
    const alertStore = createSqliteAlertStore(sqlite.db);
    const alerts = createAlerting({
      store: alertStore,
      settings: settings.alerts,
      latency,
      feedback: feedback.store,
      extraSources: { ...drift.alertSources, ...estimateAlertSources(estimates) },
      log,
    });
    const forwarding = createForwarding(sqlite.db, settings.forward, {
      log: { info: (m: string) => log('info', m), warn: (m: string) => log('warn', m) },
    });
    const restrictions = new Restrictions(sqlite.db);
    const excluded = (): ReadonlySet<string> => restrictions.excludedSubjects();
    const forwardingHold = new ForwardingHold(
      sqlite.db,
      () => restrictions.restrictedSubjects(),
      forwarding.listener,
      sqlite,
    );
    // Spans stored before this start are unknown to it: exports of older ranges take a first pass.
    const columns = new ColumnRegistry(Date.now());
    const listeners = [
      latency,
      skippingSubjects(drift.bind(sqlite), excluded),
      skippingSubjects(relationships.bind(sqlite), excluded),
      forwardingHold.listener,
      columns,
    ];
    const store = withSpanListeners(sqlite, listeners, (name, err) =>
      log('error', `span listener ${name} failed: ${String(err)}`),
    );
    const retention = createRetentionPolicy({
      db: sqlite.db,
      outbox: forwarding.outboxRecords,
      limits: {
        spans: { maxAgeMs: config.retentionMs, maxBytes: config.maxDbSizeBytes },
        drift: settings.drift,
        pending: settings.feedback.pending,
        retention: settings.retention,
      },
      onError: (err) => log('error', `retention: ${err instanceof Error ? err.message : String(err)}`),
    });
    const background = [drift, relationships, feedback, alerts, forwarding, retention];
    const datasets = new DatasetService(() => ({
      spans: sqlite,
      feedback: feedback.store,
      columns,
      driftWindows: async (q) => {
        const runtime = drift.runtime();
        if (runtime === undefined) throw new Error('drift is not bound to the span store');
        return driftWindows(runtime.service, q, Date.now());
      },
      lastDriftResolvedMs: (model) => lastDriftResolvedMs(alerts.store, model),
      excludedSubjects: excluded,
    }));
    const references = drift.runtime()?.references ?? createSqliteDriftStores(sqlite.db).references;
    const subjects = new SubjectRights({
      sqlite,
      keyring: settings.subjects?.keyring,
      derived: { drift, relationships, latency, forwarding },
      ...(settings.subjects?.erasureWebhook ? { erasureWebhook: settings.subjects.erasureWebhook } : {}),
      log,
      controls: { restrictions, forwardingHold, drift, feedback: feedback.store, alerts: alertStore, references },
    });
    return {
      store,
      feedback,
      estimates,
      alerts,
      forwarding,
      retention,
      datasets,
      restrictions,
      forwardingHold,
      subjects,
      start() {
        for (const part of background) part.start();
        // Subject-rights requests a crash interrupted are finished now.
        void subjects.resume(RESUMABLE_ACTIONS);
      },
      async close() {
        await Promise.allSettled(background.map((p) => p.stop()));
        await sqlite.close();
      },
    };
  };

  return {
    open(onBackgroundError) {
      const sqlite = openSqliteStore({
        path: config.db,
        schemaSteps: AREA_SCHEMA_STEPS,
        retention: { maxAgeMs: config.retentionMs, maxBytes: config.maxDbSizeBytes ?? 0 },
        onBackgroundError,
      });
      try {
        return build(sqlite);
      } catch (error) {
        void sqlite.close();
        throw error;
      }
    },

    plugins(parts) {
      // One trace service for every read API; its reader is the store, once the database is open.
      // Restricted subjects' spans are shown only to the privacy scope (subjects/restricted-reader.ts).
      const traces = new TraceService(
        new RestrictedReader(
          () => parts().store,
          () => parts().restrictions.restrictedSubjects(),
        ),
      );
      return [
        plugin('query', async (app) => {
          await app.register(queryRoutes({ traces }));
        }),
        // In memory: they serve while the database is still opening.
        inMemory(
          plugin('latency', async (app) => {
            await app.register(latencyRoutes, { metrics: latency });
          }),
        ),
        inMemory(
          plugin('metrics', async (app, context) => {
            registry.register(ingestMetricSource(context.counters, context.budget));
            if (context.auth) registry.register(context.auth.failures.metricSource());
            await app.register(metricsRoute, { registry });
          }),
        ),
        drift.plugin,
        relationships.plugin,
        estimatedPerformancePlugin({ service: () => parts().estimates }),
        jaegerCompatPlugin(traces),
        zipkinCompatPlugin(traces),
        feedbackPlugin({ service: () => parts().feedback }),
        datasetPlugin({ service: () => parts().datasets }),
        alertPlugin({
          engine: () => parts().alerts,
          ...(settings.alerts.externalUrl ? { externalUrl: settings.alerts.externalUrl } : {}),
        }),
        exportStatusPlugin({ stats: () => parts().forwarding.stats() }),
        retentionPlugin(() => parts().retention),
        subjectRightsPlugin(() => parts().subjects),
        inMemory(consolePlugin()),
      ];
    },
  };
}

function plugin(name: string, register: CollectorPlugin['register']): CollectorPlugin {
  return { name, register };
}

function inMemory(p: CollectorPlugin): CollectorPlugin {
  return { ...p, servesBeforeOpen: true };
}
