import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AlertRulesFileError, loadAlertRulesFile, parseAlertRulesFile } from '../../../collector/alerts/rules-file.js';

const dir = mkdtempSync(join(tmpdir(), 'infertrace-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXAMPLE = `
interval: 15s
external_url: http://collector.example:4318/
receivers:
  - name: ops
    url: http://hooks.example/alerts
    headers: { Authorization: "Bearer abc" }
  - name: am
    url: http://alertmanager:9093
    format: alertmanager
rules:
  - id: fraud-accuracy
    metric: accuracy
    model: fraud
    comparison: "<"
    threshold: 0.8
    window: 1h
    for: 10m
    min_count: 50
    severity: critical
    receivers: [ops]
  - id: fraud-p99
    metric: latency_quantile
    quantile: 0.99
    model: fraud
    comparison: ">"
    threshold: 250
    window: 5m
`;

function problemsOf(text: string): string[] {
  try {
    parseAlertRulesFile(text, 'rules.yaml');
  } catch (error) {
    if (error instanceof AlertRulesFileError) return error.problems;
    throw error;
  }
  return [];
}

describe('the alert rules file', () => {
  it('reads interval, external URL, receivers with their defaults, and rules', () => {
    const path = join(dir, 'rules.yaml');
    writeFileSync(path, EXAMPLE);
    const file = loadAlertRulesFile(path);
    expect(file.intervalMs).toBe(15_000);
    expect(file.externalUrl).toBe('http://collector.example:4318');
    expect(file.receivers).toEqual([
      {
        name: 'ops',
        url: 'http://hooks.example/alerts',
        format: 'generic',
        repeatIntervalMs: 4 * 3_600_000,
        headers: { Authorization: 'Bearer abc' },
        timeoutMs: 10_000,
      },
      {
        name: 'am',
        url: 'http://alertmanager:9093',
        format: 'alertmanager',
        repeatIntervalMs: 60_000,
        headers: {},
        timeoutMs: 10_000,
      },
    ]);
    expect(file.rules.map((r) => [r.id, r.origin, r.minCount, r.receivers])).toEqual([
      ['fraud-accuracy', 'file', 50, ['ops']],
      ['fraud-p99', 'file', 1, undefined],
    ]);
  });

  it('accepts an empty file', () => {
    expect(parseAlertRulesFile('', 'empty.yaml')).toEqual({ receivers: [], rules: [] });
  });

  it.each([
    ['bad YAML', 'rules: [', 'not valid YAML'],
    ['a list at the top', '- a', 'top level must be a map'],
    ['an unknown top key', 'rule: []', 'rule is not a known key'],
    ['a short interval', 'interval: 10ms', 'interval must be a duration of at least 1s'],
    ['a receiver without URL', 'receivers: [{ name: ops }]', 'receivers[0].url must be an http://'],
    [
      'a receiver of unknown format',
      'receivers: [{ name: ops, url: "http://x", format: slack }]',
      'receivers[0].format must be generic or alertmanager',
    ],
    [
      'a duplicate receiver',
      'receivers: [{ name: a, url: "http://x" }, { name: a, url: "http://y" }]',
      'receivers[1].name "a" is used twice',
    ],
    [
      'a rule naming an unknown receiver',
      'rules: [{ id: r, metric: error_rate, comparison: ">", threshold: 1, window: 1m, receivers: [pager] }]',
      'receivers names "pager"',
    ],
    [
      'a duplicate rule id',
      'rules: [{ id: r, metric: error_rate, comparison: ">", threshold: 1, window: 1m }, { id: r, metric: error_rate, comparison: ">", threshold: 1, window: 1m }]',
      'rules[1].id "r" is used twice',
    ],
    [
      'a bad threshold',
      'rules: [{ id: r, metric: error_rate, comparison: ">", threshold: high, window: 1m }]',
      'rules[0] (r).threshold must be a number',
    ],
  ])('reports %s', (_name, text, message) => {
    expect(problemsOf(text).join('\n')).toContain(message);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf('interval: x\nrules: [{ id: r, metric: accuracy, comparison: "<", threshold: 1 }]');
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });

  it('names the file and the variable when it cannot be read', () => {
    expect(() => loadAlertRulesFile(join(dir, 'missing.yaml'))).toThrow(
      /missing\.yaml[\s\S]*ENOENT[\s\S]*INFERTRACE_ALERT_RULES/,
    );
  });
});
