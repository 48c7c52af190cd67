import { datasetPath } from '../datasets/dataset-query.js';
import type { Alert, AlertCause } from './alert.js';
import type { AlertRule } from './alert-rule.js';

/**
 * The alert state machine (pure). One step per evaluation of a rule, given its active alert (pending
 * or firing, or none) and what the evaluation found:
 *
 *   none     + met                 → pending (→ firing at once when `for` is 0)
 *   pending  + met, for elapsed    → firing
 *   pending  + met                 → pending (value updated)
 *   pending  + not met / no data   → dropped (no notification)
 *   firing   + met                 → firing (value and cause updated)
 *   firing   + not met / no data   → resolved
 *
 * "No data" (the source had too few observations in the window) counts as "not met", as in
 * Prometheus, so an alert does not fire forever about a model that stopped receiving traffic.
 * Evaluation errors do not step the machine: the engine keeps the state and reports the error.
 */
export type Evaluation = { kind: 'value'; value: number; met: boolean; cause: AlertCause } | { kind: 'no_data' };

/** Transitions that notify receivers: `firing` and `resolved`. */
type Transition = 'pending' | 'firing' | 'resolved' | 'dropped';

export interface StepResult {
  /** The alert after the step (resolved or dropped alerts included, so the caller can store them). */
  alert: Alert | undefined;
  transition?: Transition;
}

function alertId(ruleId: string, activeAtMs: number): string {
  return `${ruleId}@${activeAtMs}`;
}

function newAlert(rule: AlertRule, nowMs: number, e: Extract<Evaluation, { kind: 'value' }>): Alert {
  return {
    id: alertId(rule.id, nowMs),
    ruleId: rule.id,
    name: rule.name,
    severity: rule.severity,
    state: 'pending',
    activeAtMs: nowMs,
    firedAtMs: null,
    resolvedAtMs: null,
    lastEvaluatedMs: nowMs,
    value: e.value,
    cause: e.cause,
    labels: { ...rule.labels },
    annotations: { ...rule.annotations },
    ...(rule.dataset === undefined ? {} : { dataset: datasetPath(rule.dataset.model, rule.dataset.parameters) }),
  };
}

export function stepAlert(active: Alert | undefined, rule: AlertRule, e: Evaluation, nowMs: number): StepResult {
  const met = e.kind === 'value' && e.met;
  if (active === undefined || active.state === 'resolved') {
    if (!met) return { alert: undefined };
    const alert = newAlert(rule, nowMs, e);
    if (rule.forMs > 0) return { alert, transition: 'pending' };
    return { alert: { ...alert, state: 'firing', firedAtMs: nowMs }, transition: 'firing' };
  }
  if (met) {
    const updated: Alert = { ...active, value: e.value, cause: e.cause, lastEvaluatedMs: nowMs };
    if (active.state === 'pending' && nowMs - active.activeAtMs >= rule.forMs) {
      return { alert: { ...updated, state: 'firing', firedAtMs: nowMs }, transition: 'firing' };
    }
    return { alert: updated };
  }
  if (active.state === 'pending') return { alert: { ...active, lastEvaluatedMs: nowMs }, transition: 'dropped' };
  const resolved: Alert = {
    ...active,
    state: 'resolved',
    resolvedAtMs: nowMs,
    lastEvaluatedMs: nowMs,
    ...(e.kind === 'value' ? { value: e.value } : { resolvedReason: 'no data: too few observations in the window' }),
  };
  return { alert: resolved, transition: 'resolved' };
}

/** Resolves an active alert for a reason other than its value (the rule was deleted or changed). */
export function resolveAlert(active: Alert, nowMs: number, reason: string): Alert {
  return { ...active, state: 'resolved', resolvedAtMs: nowMs, lastEvaluatedMs: nowMs, resolvedReason: reason };
}
