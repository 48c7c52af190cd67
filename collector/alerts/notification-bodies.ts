import type { Alert } from './alert.js';
import type { Notification } from './alert-store.js';
import type { Receiver } from './receiver.js';

/**
 * The bodies a notification is delivered with (pure).
 *
 * Generic webhook: one JSON object per notification —
 *   { version: "1", receiver, event: "firing"|"repeat"|"resolved", status: "firing"|"resolved",
 *     alert: { id, rule, name, severity, state, value, activeAt, firedAt, resolvedAt, resolvedReason,
 *              cause, labels, annotations, url, dataset: { url, manifest } } }
 * (`dataset` when the rule names one: links to the dataset a retraining job should fetch)
 *
 * Prometheus Alertmanager (`POST /api/v2/alerts`): an array with one postable alert — labels (all
 * text: alertname, rule_id, severity, metric and the cause's model/version/feature/statistic/
 * service/operation, then the rule's labels), annotations (summary, value — the latest, so the
 * recovered one once resolved —, threshold, window,
 * count, moved_bins and exemplar ids as JSON text, dataset_url and dataset_manifest_url, then the
 * rule's annotations), startsAt, endsAt and
 * generatorURL. A firing alert's endsAt is 4 repeat intervals ahead, so Alertmanager resolves it by
 * itself if the collector stops re-sending; a resolved alert's endsAt is when it resolved.
 */
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Where a person can see the alert: the alerts API filtered to its rule. */
function alertUrl(alert: Alert, externalUrl: string | undefined): string | undefined {
  return externalUrl === undefined ? undefined : `${externalUrl}/api/alerts?rule=${encodeURIComponent(alert.ruleId)}`;
}

/**
 * The rule's dataset and its manifest, for a retraining job to fetch: absolute on the external URL
 * when one is set, else paths on the collector.
 */
function datasetLinks(alert: Alert, externalUrl: string | undefined): { url: string; manifest: string } | undefined {
  if (alert.dataset === undefined) return undefined;
  const base = externalUrl ?? '';
  const [path, query] = alert.dataset.split('?') as [string, string | undefined];
  const manifest = `${path}/manifest${query === undefined ? '' : `?${query}`}`;
  return { url: `${base}${alert.dataset}`, manifest: `${base}${manifest}` };
}

export function alertJson(alert: Alert, externalUrl?: string): Record<string, unknown> {
  const dataset = datasetLinks(alert, externalUrl);
  return {
    id: alert.id,
    rule: alert.ruleId,
    name: alert.name,
    severity: alert.severity,
    state: alert.state,
    value: alert.value,
    activeAt: iso(alert.activeAtMs),
    firedAt: iso(alert.firedAtMs),
    resolvedAt: iso(alert.resolvedAtMs),
    lastEvaluatedAt: iso(alert.lastEvaluatedMs),
    ...(alert.resolvedReason === undefined ? {} : { resolvedReason: alert.resolvedReason }),
    cause: alert.cause,
    labels: alert.labels,
    annotations: alert.annotations,
    ...(externalUrl === undefined ? {} : { url: alertUrl(alert, externalUrl) }),
    ...(dataset === undefined ? {} : { dataset }),
  };
}

export function genericBody(n: Notification, externalUrl?: string): Record<string, unknown> {
  return {
    version: '1',
    receiver: n.receiver,
    event: n.event,
    status: n.alert.state === 'resolved' ? 'resolved' : 'firing',
    alert: alertJson(n.alert, externalUrl),
  };
}

export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

export function alertmanagerBody(
  n: Notification,
  receiver: Receiver,
  nowMs: number,
  externalUrl?: string,
): PostableAlert[] {
  const a = n.alert;
  const c = a.cause;
  const labels: Record<string, string> = {
    alertname: a.name,
    rule_id: a.ruleId,
    severity: a.severity,
    metric: c.metric,
  };
  for (const key of ['model', 'version', 'feature', 'statistic', 'service', 'operation'] as const) {
    const v = c[key];
    if (v !== undefined && v !== '') labels[key] = v;
  }
  if (c.quantile !== undefined) labels['quantile'] = String(c.quantile);
  Object.assign(labels, a.labels);

  const annotations: Record<string, string> = {
    summary: c.summary,
    value: String(a.value),
    threshold: `${c.comparison} ${c.threshold}`,
    window: c.window,
  };
  if (c.count !== undefined) annotations['count'] = String(c.count);
  if (c.movedBins !== undefined && c.movedBins.length > 0) annotations['moved_bins'] = JSON.stringify(c.movedBins);
  if (c.exemplarRequestIds.length > 0) annotations['exemplar_request_ids'] = c.exemplarRequestIds.join(',');
  if (c.exemplarTraceIds.length > 0) annotations['exemplar_trace_ids'] = c.exemplarTraceIds.join(',');
  if (a.resolvedReason !== undefined) annotations['resolved_reason'] = a.resolvedReason;
  const dataset = datasetLinks(a, externalUrl);
  if (dataset !== undefined) {
    annotations['dataset_url'] = dataset.url;
    annotations['dataset_manifest_url'] = dataset.manifest;
  }
  Object.assign(annotations, a.annotations);

  const startsAt = new Date(a.firedAtMs ?? a.activeAtMs).toISOString();
  const endsAt = new Date(
    a.state === 'resolved' ? (a.resolvedAtMs ?? nowMs) : nowMs + 4 * receiver.repeatIntervalMs,
  ).toISOString();
  const url = alertUrl(a, externalUrl);
  return [{ labels, annotations, startsAt, endsAt, ...(url === undefined ? {} : { generatorURL: url }) }];
}

export function notificationBody(n: Notification, receiver: Receiver, nowMs: number, externalUrl?: string): unknown {
  return receiver.format === 'alertmanager'
    ? alertmanagerBody(n, receiver, nowMs, externalUrl)
    : genericBody(n, externalUrl);
}
