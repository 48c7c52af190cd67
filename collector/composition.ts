import { createAlerting } from './alerts/create-alerting.js';
import type { AlertEngine } from './alerts/alert-engine.js';
import { alertPlugin } from './alerts/alert-routes.js';
import { loadAlertRulesFile } from './alerts/rules-file.js';
import { createSqliteAlertStore } from './alerts/sqlite-alert-store.js';
import type { CollectorPlugin } from './app.js';
import { consolePlugin } from './console/console-plugin.js';
import { jaegerCompatPlugin, zipkinCompatPlugin } from './query/compat-plugins.js';
import type { CollectorConfig, CollectorFeatureSettings } from './config.js';
import { createDriftPipeline } from './drift/drift-pipeline.js';
import { estimateAlertSources } from './estimated-performance/estimate-alert-sources.js';
import { estimatedPerformancePlugin } from './estimated-performance/estimate-routes.js';
import { EstimateService } from './estimated-performance/estimate-service.js';
import { sqliteWindowSpans } from './drift/sqlite-window-spans.js';
import { exportStatusPlugin } from './forwarding/export-status-plugin.js';
import type { Forwarding } from './forwarding/forwarding.js';
import { createForwarding } from './forwarding/forwarding.js';
import { feedbackPlugin } from './feedback/feedback-routes.js';
import { FeedbackService } from './feedback/feedback-service.js';
import { createSqliteFeedbackStore } from './feedback/sqlite-feedback-store.js';
import { guard, LateBound } from './late-bound.js';
import { ingestMetricSource } from './metrics/ingest-metrics.js';
import { LatencyMetrics } from './metrics/latency/latency-metrics.js';
import { latencyRoutes } from './metrics/latency/latency-routes.js';
import { MetricRegistry } from './metrics/latency/prometheus/metric-registry.js';
import { metricsRoute } from './metrics/latency/prometheus/metrics-route.js';
import { registerRedMetrics } from './metrics/latency/prometheus/red-metrics.js';
import type { SpanListener } from './storage/span-listener.js';
import { withSpanListeners } from './storage/span-listener.js';
import { queryRoutes } from './query/routes.js';
import { TraceService } from './query/trace-service.js';
import { createRelationshipPipeline } from './relationships/relationship-pipeline.js';
import type { SqliteStore } from './storage/sqlite/sqlite-store.js';
import type { SpanStore } from './storage/span-store.js';

/**
 * The whole collector product, composed: the span store with the listeners that derive from it
 * (latency, drift summaries, forwarding), the parts that keep tables in the same database (feedback, alerts,
 * forwarding, drift), and every HTTP API in order. main.ts stays generic; this file says what runs.
 */
export type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

export interface Composition {
  /** Opens the SQLite store, binds the database-backed parts to it, returns it with its listeners. */
  wrapStore(sqlite: SqliteStore): SpanStore;
  plugins(store: SpanStore): CollectorPlugin[];
  /** After the listener is up: starts the background work of every part bound so far (and later ones on bind). */
  start(): void;
  /** Before the database closes: stops background work; what is unsent stays in its tables. */
  stop(): Promise<void>;
}

export function composeCollector(config: Readonly<CollectorConfig>, settings: CollectorFeatureSettings, log: Log): Composition {
  // Fail at start-up, not at the first evaluation, on a rules file that does not parse.
  if (settings.alerts.rulesFile !== undefined) loadAlertRulesFile(settings.alerts.rulesFile);

  const latency = new LatencyMetrics(settings.latency);
  const drift = createDriftPipeline({ settings: settings.drift, onError: (err) => log('error', `drift summaries: ${String(err)}`) });
  const relationships = createRelationshipPipeline({
    drift, settings: settings.relationships, onError: (err) => log('error', `relationship summaries: ${String(err)}`),
  });
  const registry = new MetricRegistry();
  registerRedMetrics(registry, latency);

  const feedback = new LateBound<FeedbackService>('feedback');
  const alerts = new LateBound<AlertEngine>('alerting');
  const forwarding = new LateBound<Forwarding>('forwarding');
  let estimates: EstimateService | undefined;
  const background: { start(): void; stop(): Promise<void> }[] = [];
  let started = false;
  let stopping = false;

  const run = (part: { start(): void; stop(): Promise<void> }): void => {
    background.push(part);
    if (started && !stopping) part.start();
  };

  return {
    wrapStore(sqlite) {
      const service = new FeedbackService({
        spans: sqlite,
        store: createSqliteFeedbackStore(sqlite.db),
        join: { outputs: settings.feedback.outputs },
        pending: settings.feedback.pending,
        log: (m) => log('warn', m),
      });
      const engine = createAlerting({
        store: createSqliteAlertStore(sqlite.db),
        settings: settings.alerts,
        latency,
        feedback: service.store,
        extraSources: { ...drift.alertSources, ...estimateAlertSources(() => estimates) },
        log,
      });
      const listeners: SpanListener[] = [latency, drift.bind(sqlite), relationships.bind(sqlite)];
      const fwd = createForwarding(sqlite.db, settings.forward, { log: { info: (m: string) => log('info', m), warn: (m: string) => log('warn', m) } });
      listeners.push(fwd.listener);
      estimates = new EstimateService({ spans: sqliteWindowSpans(sqlite.db), feedback: service.store, maxRawSpans: settings.drift.maxRawSpans });
      feedback.set(service);
      alerts.set(engine);
      forwarding.set(fwd);
      run(drift);
      run(relationships);
      run(service);
      run(engine);
      run(fwd);
      return withSpanListeners(sqlite, listeners, (name, err) => log('error', `span listener ${name} failed: ${String(err)}`));
    },

    plugins(store) {
      const traces = new TraceService(store);
      return [
        plugin('query', async (app) => {
          await app.register(queryRoutes({ traces }));
        }),
        plugin('latency', async (app) => {
          await app.register(latencyRoutes, { metrics: latency });
        }),
        plugin('metrics', async (app, context) => {
          registry.register(ingestMetricSource(context.counters));
          await app.register(metricsRoute, { registry });
        }),
        drift.plugin,
        relationships.plugin,
        estimatedPerformancePlugin({ service: () => estimates }),
        jaegerCompatPlugin(traces),
        zipkinCompatPlugin(traces),
        guard(feedbackPlugin({ service: feedback.stand() }), [feedback]),
        guard(alertPlugin({ engine: alerts.stand(), ...(settings.alerts.externalUrl ? { externalUrl: settings.alerts.externalUrl } : {}) }), [alerts]),
        guard(exportStatusPlugin(forwarding.stand()), [forwarding]),
        consolePlugin(),
      ];
    },

    start() {
      started = true;
      for (const part of background) part.start();
    },

    async stop() {
      stopping = true;
      await Promise.allSettled(background.map((p) => p.stop()));
    },
  };
}

function plugin(name: string, register: CollectorPlugin['register']): CollectorPlugin {
  return { name, register };
}

