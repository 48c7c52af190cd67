import type { AlertStore } from './alert-store.js';

/** Resolved alerts looked at, latest resolved first, for a model's last drift resolution. */
const LOOK_BACK = 1000;

/**
 * When the latest `drift` alert about the model resolved (epoch ms), undefined when none has: the
 * cut-off of a dataset asked `since=last-drift-resolved` ("discard the data collected before").
 */
export function lastDriftResolvedMs(store: Pick<AlertStore, 'listAlerts'>, model: string): number | undefined {
  for (const alert of store.listAlerts({ state: 'resolved', limit: LOOK_BACK })) {
    if (alert.cause.metric === 'drift' && alert.cause.model === model && alert.resolvedAtMs !== null)
      return alert.resolvedAtMs;
  }
  return undefined;
}
