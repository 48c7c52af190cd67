import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseDurationMs } from '../../shared/units.js';
import type { AlertRule } from './alert-rule.js';
import { parseRule } from './parse-rule.js';
import { parseReceiver, type Receiver } from './receiver.js';

/**
 * The alert rules file (YAML, or JSON, which is YAML too), named by INFERTRACE_ALERT_RULES:
 *
 *   interval: 30s                      # how often rules are evaluated (optional)
 *   external_url: http://collector:4318  # base of the links in notifications (optional)
 *   receivers:
 *     - { name: ops, url: http://hooks.example/alerts, format: generic, repeat_interval: 4h }
 *     - { name: am, url: http://alertmanager:9093, format: alertmanager }
 *   rules:
 *     - { id: fraud-accuracy, metric: accuracy, model: fraud, comparison: "<", threshold: 0.8,
 *         window: 1h, for: 10m, severity: critical }
 *
 * Every problem of the file is reported at once, each naming the key (`rules[1].threshold`).
 */
export interface AlertRulesFile {
  intervalMs?: number;
  externalUrl?: string;
  receivers: Receiver[];
  rules: AlertRule[];
}

export class AlertRulesFileError extends Error {
  readonly problems: string[];
  constructor(path: string, problems: string[]) {
    super(`the alert rules file ${path} has problems:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AlertRulesFileError';
    this.problems = problems;
  }
}

const TOP_KEYS = ['interval', 'external_url', 'receivers', 'rules'];

/** Parses the text of a rules file (pure); `path` only names it in messages. */
export function parseAlertRulesFile(text: string, path: string): AlertRulesFile {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new AlertRulesFileError(path, [
      `it is not valid YAML: ${error instanceof Error ? error.message : String(error)}`,
    ]);
  }
  doc ??= {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new AlertRulesFileError(path, [`the top level must be a map with ${TOP_KEYS.join(', ')}`]);
  const raw = doc as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(raw))
    if (!TOP_KEYS.includes(key)) problems.push(`${key} is not a known key; known keys are ${TOP_KEYS.join(', ')}`);

  const out: AlertRulesFile = { receivers: [], rules: [] };
  if (raw['interval'] !== undefined) {
    const ms = typeof raw['interval'] === 'string' ? parseDurationMs(raw['interval']) : undefined;
    if (ms === undefined || ms < 1000)
      problems.push(`interval must be a duration of at least 1s such as 30s, got ${JSON.stringify(raw['interval'])}`);
    else out.intervalMs = ms;
  }
  if (raw['external_url'] !== undefined) {
    const u = raw['external_url'];
    if (typeof u !== 'string' || !/^https?:\/\/\S+$/.test(u))
      problems.push(`external_url must be an http(s) URL, got ${JSON.stringify(u)}`);
    else out.externalUrl = u.replace(/\/+$/, '');
  }
  const list = (key: string): unknown[] => {
    const v = raw[key] ?? [];
    if (Array.isArray(v)) return v;
    problems.push(`${key} must be a list`);
    return [];
  };
  list('receivers').forEach((r, i) => {
    const receiver = parseReceiver(r, `receivers[${i}]`, problems);
    if (receiver === undefined) return;
    if (out.receivers.some((x) => x.name === receiver.name))
      problems.push(`receivers[${i}].name "${receiver.name}" is used twice`);
    else out.receivers.push(receiver);
  });
  list('rules').forEach((r, i) => {
    const parsed = parseRule(r, `rules[${i}]`, 'file');
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      return;
    }
    const rule = parsed.rule;
    if (out.rules.some((x) => x.id === rule.id)) problems.push(`rules[${i}].id "${rule.id}" is used twice`);
    for (const name of rule.receivers ?? []) {
      if (!out.receivers.some((x) => x.name === name))
        problems.push(`rules[${i}] (${rule.id}).receivers names "${name}", which is not under receivers`);
    }
    out.rules.push(rule);
  });
  if (problems.length > 0) throw new AlertRulesFileError(path, problems);
  return out;
}

/** Reads and parses the rules file; throws AlertRulesFileError naming the file and every problem. */
export function loadAlertRulesFile(path: string): AlertRulesFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new AlertRulesFileError(path, [
      `it cannot be read (${code ?? String(error)}): check INFERTRACE_ALERT_RULES and the file's permissions`,
    ]);
  }
  return parseAlertRulesFile(text, path);
}
