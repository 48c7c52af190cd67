import type { FeedbackStore } from '../feedback/feedback-store.js';
import type { LatencyMetrics } from '../metrics/latency/latency-metrics.js';
import { AlertEngine, DEFAULT_INTERVAL_MS, type AlertEngineOptions } from './alert-engine.js';
import type { AlertSettings } from './alert-settings.js';
import type { AlertStore } from './alert-store.js';
import { accuracySource, maeSource, rmseSource } from './feedback-sources.js';
import { errorRateSource, latencyQuantileSource } from './latency-sources.js';
import type { MetricSource } from './metric-source.js';
import { loadAlertRulesFile } from './rules-file.js';

/**
 * Wires alerting for the collector: loads the rules file (if any), registers the built-in metric
 * sources (latency_quantile and error_rate from the latency metrics, accuracy/mae/rmse from
 * feedback) plus `extraSources` (e.g. drift, missing_rate), and installs the file's rules.
 * Throws AlertRulesFileError or AppError (unknown metric or receiver) at start-up, naming the
 * problem, so a bad rules file stops the collector instead of silently not alerting.
 */
export interface AlertingDeps {
  store: AlertStore;
  settings: Readonly<AlertSettings>;
  latency?: Pick<LatencyMetrics, 'recentWindow' | 'options'>;
  feedback?: Pick<FeedbackStore, 'scan'>;
  extraSources?: Readonly<Record<string, MetricSource>>;
  send?: AlertEngineOptions['send'];
  clock?: () => number;
  log?: AlertEngineOptions['log'];
}

export function createAlerting(deps: AlertingDeps): AlertEngine {
  const file = deps.settings.rulesFile === undefined ? undefined : loadAlertRulesFile(deps.settings.rulesFile);
  const sources: Record<string, MetricSource> = {};
  if (deps.latency !== undefined) {
    sources['latency_quantile'] = latencyQuantileSource(deps.latency);
    sources['error_rate'] = errorRateSource(deps.latency);
  }
  if (deps.feedback !== undefined) {
    sources['accuracy'] = accuracySource(deps.feedback);
    sources['mae'] = maeSource(deps.feedback);
    sources['rmse'] = rmseSource(deps.feedback);
  }
  Object.assign(sources, deps.extraSources);
  const externalUrl = deps.settings.externalUrl ?? file?.externalUrl;
  const engine = new AlertEngine({
    store: deps.store,
    receivers: file?.receivers ?? [],
    sources,
    intervalMs: deps.settings.intervalMs ?? file?.intervalMs ?? DEFAULT_INTERVAL_MS,
    ...(externalUrl === undefined ? {} : { externalUrl }),
    ...(deps.send === undefined ? {} : { send: deps.send }),
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    ...(deps.log === undefined ? {} : { log: deps.log }),
  });
  engine.setFileRules(file?.rules ?? []);
  return engine;
}
