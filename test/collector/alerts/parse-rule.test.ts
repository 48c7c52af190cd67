import { describe, expect, it } from 'vitest';
import { conditionMet, formatDuration } from '../../../collector/alerts/alert-rule.js';
import { parseRule, ruleToJson } from '../../../collector/alerts/parse-rule.js';

const base = {
  id: 'fraud-accuracy',
  metric: 'accuracy',
  model: 'fraud',
  comparison: '<',
  threshold: 0.8,
  window: '1h',
};

describe('parseRule', () => {
  it('reads a full rule and applies the defaults', () => {
    const result = parseRule(
      {
        ...base,
        for: '10m',
        version: 3,
        severity: 'critical',
        labels: { team: 'ml' },
        slice: { 'ml.input.region': 'eu' },
      },
      'rules[0]',
      'file',
    );
    expect(result).toEqual({
      ok: true,
      rule: {
        id: 'fraud-accuracy',
        name: 'fraud-accuracy',
        metric: 'accuracy',
        model: 'fraud',
        version: '3',
        comparison: '<',
        threshold: 0.8,
        windowMs: 3_600_000,
        forMs: 600_000,
        minCount: 1,
        severity: 'critical',
        labels: { team: 'ml' },
        annotations: {},
        slice: { 'ml.input.region': 'eu' },
        origin: 'file',
      },
    });
  });

  it.each([
    [
      'latency quantile',
      {
        id: 'p99',
        metric: 'latency_quantile',
        quantile: 0.99,
        service: 's',
        comparison: '>',
        threshold: 250,
        window: '5m',
      },
    ],
    [
      'error rate without a selector',
      { id: 'errors', metric: 'error_rate', comparison: '>=', threshold: 0.05, window: 300000 },
    ],
    [
      'drift of a feature',
      {
        id: 'd',
        metric: 'drift',
        model: 'm',
        feature: 'age',
        statistic: 'psi',
        comparison: '>',
        threshold: 0.2,
        window: '1d',
      },
    ],
    [
      'a metric registered by the collector',
      { id: 'x', metric: 'custom_metric', comparison: '>', threshold: 1, window: '1m' },
    ],
  ])('accepts %s', (_name, raw) => {
    expect(parseRule(raw, 'rule', 'api').ok).toBe(true);
  });

  it.each([
    ['no id', { ...base, id: undefined }, 'rule.id is required'],
    ['a bad id', { ...base, id: 'Fraud Accuracy' }, 'rule.id must be'],
    ['an unknown key', { ...base, threshhold: 1 }, 'rule (fraud-accuracy).threshhold is not a rule key'],
    ['a bad comparison', { ...base, comparison: 'lt' }, 'comparison must be one of ">"'],
    ['a text threshold', { ...base, threshold: '0.8' }, 'threshold must be a number'],
    ['no window', { ...base, window: undefined }, 'window is required'],
    ['a zero window', { ...base, window: '0s' }, 'window must be longer than 0'],
    ['a bad for', { ...base, for: 'ten minutes' }, '.for must be a duration'],
    ['accuracy without a model', { ...base, model: undefined }, 'model is required for metric accuracy'],
    ['drift without a feature', { ...base, metric: 'drift' }, 'feature is required for metric drift'],
    [
      'latency without a quantile',
      { ...base, metric: 'latency_quantile' },
      'quantile is required for metric latency_quantile',
    ],
    [
      'a quantile of 99',
      { ...base, metric: 'latency_quantile', quantile: 99 },
      'quantile must be a number between 0 and 1',
    ],
    ['min_count 0', { ...base, min_count: 0 }, 'min_count must be a whole number'],
    ['receivers not a list', { ...base, receivers: 'ops' }, 'receivers must be a list'],
    ['labels not a map', { ...base, labels: ['a'] }, 'labels must be a map'],
    ['not a map', 'rule', 'must be a map'],
  ])('refuses %s', (_name, raw, message) => {
    const result = parseRule(raw, 'rule', 'api');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toContain(message);
  });

  it('round-trips through its external shape', () => {
    const first = parseRule(
      { ...base, for: '90s', receivers: ['ops'], annotations: { runbook: 'http://wiki/fraud' } },
      'rule',
      'api',
    );
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const { origin: _origin, ...external } = ruleToJson(first.rule);
    expect(parseRule(external, 'rule', 'api')).toEqual(first);
  });
});

describe('conditionMet and formatDuration', () => {
  it.each([
    [0.5, '<', 0.8, true],
    [0.8, '<', 0.8, false],
    [0.8, '<=', 0.8, true],
    [1, '>', 1, false],
    [1, '>=', 1, true],
    [2, '>', 1, true],
    [Number.NaN, '<', 1, false],
  ] as const)('%d %s %d is %s', (v, c, t, expected) => expect(conditionMet(v, c, t)).toBe(expected));

  it.each([
    [3_600_000, '1h'],
    [90_000, '90s'],
    [1500, '1500ms'],
    [86_400_000 * 2, '2d'],
    [0, '0s'],
    [120_000, '2m'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
