import type { Alert } from '../../../collector/alerts/alert.js';
import type { AlertRule } from '../../../collector/alerts/alert-rule.js';

/** Rules and alerts for the alert tests. */
export function makeRule(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    id: 'fraud-accuracy',
    name: 'FraudAccuracyLow',
    metric: 'accuracy',
    model: 'fraud',
    comparison: '<',
    threshold: 0.8,
    windowMs: 3_600_000,
    forMs: 0,
    minCount: 1,
    severity: 'critical',
    labels: { team: 'ml' },
    annotations: { runbook: 'http://wiki/fraud' },
    origin: 'api',
    ...overrides,
  };
}

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'fraud-accuracy@1000',
    ruleId: 'fraud-accuracy',
    name: 'FraudAccuracyLow',
    severity: 'critical',
    state: 'firing',
    activeAtMs: 1000,
    firedAtMs: 1000,
    resolvedAtMs: null,
    lastEvaluatedMs: 1000,
    value: 0.5,
    cause: {
      metric: 'accuracy',
      model: 'fraud',
      version: '3',
      value: 0.5,
      threshold: 0.8,
      comparison: '<',
      window: '1h',
      count: 40,
      exemplarRequestIds: ['r-1', 'r-2'],
      exemplarTraceIds: ['a'.repeat(32), 'b'.repeat(32)],
      summary: 'accuracy of model fraud is 0.5',
    },
    labels: { team: 'ml' },
    annotations: { runbook: 'http://wiki/fraud' },
    ...overrides,
  };
}
