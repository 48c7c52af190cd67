import type Database from 'better-sqlite3';
import type { Alert } from './alert.js';

/**
 * Erasure of a data subject from the alerts (GDPR Art. 17): an alert's cause cites exemplar
 * requests and traces, and a drift alert's moved bins name categories — captured values. The
 * subject's request ids, trace ids and categorical values are taken out of every stored alert and
 * of every notification's copy of one. Runs inside the caller's transaction.
 */
export interface AlertScrub {
  requestIds: ReadonlySet<string>;
  traceIds: ReadonlySet<string>;
  categories: ReadonlySet<string>;
}

export function createAlertErasure(
  db: Database.Database,
): (scrub: AlertScrub) => { alerts: number; notifications: number } {
  const st = {
    alerts: db.prepare('SELECT id, body FROM alerts'),
    putAlert: db.prepare('UPDATE alerts SET body = ? WHERE id = ?'),
    notifications: db.prepare('SELECT id, alert FROM alert_notifications'),
    putNotification: db.prepare('UPDATE alert_notifications SET alert = ? WHERE id = ?'),
  };
  return (scrub) => {
    const counts = { alerts: 0, notifications: 0 };
    if (scrub.requestIds.size + scrub.traceIds.size + scrub.categories.size === 0) return counts;
    for (const r of st.alerts.all() as { id: string; body: string }[]) {
      const body = scrubbed(r.body, scrub);
      if (body !== undefined) counts.alerts += st.putAlert.run(body, r.id).changes;
    }
    for (const r of st.notifications.all() as { id: number; alert: string }[]) {
      const body = scrubbed(r.alert, scrub);
      if (body !== undefined) counts.notifications += st.putNotification.run(body, r.id).changes;
    }
    return counts;
  };
}

/** The alert's JSON without the subject's ids and categories; undefined when it cites none. */
function scrubbed(json: string, s: AlertScrub): string | undefined {
  const alert = JSON.parse(json) as Alert;
  const cause = alert.cause;
  if (cause === undefined) return undefined;
  const requests = (cause.exemplarRequestIds ?? []).filter((id) => !s.requestIds.has(id));
  const traces = (cause.exemplarTraceIds ?? []).filter((id) => !s.traceIds.has(id));
  const bins = cause.movedBins?.filter((b) => b.kind !== 'category' || !s.categories.has(b.category));
  // The one-sentence summary may quote a moved category.
  let summary = cause.summary ?? '';
  for (const c of s.categories) if (c.length >= 3 && summary.includes(c)) summary = summary.split(c).join('(erased)');
  const changed =
    requests.length !== (cause.exemplarRequestIds ?? []).length ||
    traces.length !== (cause.exemplarTraceIds ?? []).length ||
    (bins?.length ?? 0) !== (cause.movedBins?.length ?? 0) ||
    summary !== (cause.summary ?? '');
  if (!changed) return undefined;
  const annotations = { ...alert.annotations };
  if ('exemplar_request_ids' in annotations) annotations['exemplar_request_ids'] = requests.join(',');
  if ('exemplar_trace_ids' in annotations) annotations['exemplar_trace_ids'] = traces.join(',');
  return JSON.stringify({
    ...alert,
    annotations,
    cause: {
      ...cause,
      summary,
      exemplarRequestIds: requests,
      exemplarTraceIds: traces,
      ...(bins === undefined ? {} : { movedBins: bins }),
    },
  });
}
