import { parseDurationMs } from '../../shared/units.js';
import {
  COMPARISONS,
  formatDuration,
  KNOWN_METRICS,
  type AlertRule,
  type Comparison,
  type RuleOrigin,
} from './alert-rule.js';
import { datasetJson, parseRuleDataset } from './rule-dataset.js';

/**
 * Reads one rule from its external shape (the rules file and the API share it; keys in snake_case):
 *
 *   { id, name?, metric, model?, version?, feature?, statistic?, service?, operation?, quantile?,
 *     slice?: {attr: value}, comparison: ">"|">="|"<"|"<=", threshold, window, for?, min_count?,
 *     severity?, labels?, annotations?, receivers?: [name], dataset?: {parameter: value} }
 *
 * Pure. Every problem is reported, each prefixed with where the rule is (`rules[2]`) and the key.
 */
export type ParseRuleResult = { ok: true; rule: AlertRule } | { ok: false; problems: string[] };

const RULE_KEYS = [
  'id',
  'name',
  'metric',
  'model',
  'version',
  'feature',
  'statistic',
  'service',
  'operation',
  'quantile',
  'slice',
  'comparison',
  'threshold',
  'window',
  'for',
  'min_count',
  'severity',
  'labels',
  'annotations',
  'receivers',
  'dataset',
] as const;

const ID = /^[a-z0-9][a-z0-9_.-]{0,127}$/;

/** Which selector fields each known metric needs. */
const REQUIRED: Record<(typeof KNOWN_METRICS)[number], readonly ('model' | 'feature' | 'quantile')[]> = {
  drift: ['model', 'feature'],
  missing_rate: ['model', 'feature'],
  latency_quantile: ['quantile'],
  error_rate: [],
  accuracy: ['model'],
  mae: ['model'],
  rmse: ['model'],
};

type Raw = Record<string, unknown>;

function text(raw: Raw, key: string, at: string, problems: string[]): string | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v); // YAML reads `version: 3` as a number
  if (typeof v === 'string' && v.trim() !== '' && v.length <= 512) return v;
  problems.push(`${at}.${key} must be text of 1 to 512 characters, got ${JSON.stringify(v)}`);
  return undefined;
}

function duration(raw: Raw, key: string, at: string, problems: string[], fallback?: number): number | undefined {
  const v = raw[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) problems.push(`${at}.${key} is required: a duration such as 5m, 1h or 7d`);
    return fallback;
  }
  const ms = typeof v === 'number' ? v : typeof v === 'string' ? parseDurationMs(v) : undefined;
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    problems.push(`${at}.${key} must be a duration such as 5m, 1h or 7d (or milliseconds), got ${JSON.stringify(v)}`);
    return fallback;
  }
  return Math.round(ms);
}

function stringMap(raw: Raw, key: string, at: string, problems: string[]): Record<string, string> | undefined {
  const v = raw[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    problems.push(`${at}.${key} must be a map of names to text, got ${JSON.stringify(v)}`);
    return undefined;
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v as Raw)) {
    if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    else problems.push(`${at}.${key}.${k} must be text, got ${JSON.stringify(x)}`);
  }
  return out;
}

export function parseRule(input: unknown, at: string, origin: RuleOrigin): ParseRuleResult {
  const problems: string[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [`${at} must be a map with at least id, metric, comparison, threshold and window`] };
  }
  const raw = input as Raw;
  const id = text(raw, 'id', at, problems);
  if (id === undefined)
    problems.push(`${at}.id is required: a name such as fraud-accuracy (lower-case letters, digits, - _ .)`);
  else if (!ID.test(id))
    problems.push(
      `${at}.id must be 1 to 128 lower-case letters, digits, "-", "_" or "." starting with a letter or digit, got "${id}"`,
    );
  const where = id === undefined ? at : `${at} (${id})`;
  for (const key of Object.keys(raw)) {
    if (!(RULE_KEYS as readonly string[]).includes(key))
      problems.push(`${where}.${key} is not a rule key; rule keys are ${RULE_KEYS.join(', ')}`);
  }

  const metric = text(raw, 'metric', where, problems);
  if (metric === undefined)
    problems.push(
      `${where}.metric is required: one of ${KNOWN_METRICS.join(', ')} (or a metric registered by the collector)`,
    );
  const comparison = raw['comparison'];
  if (!(COMPARISONS as readonly unknown[]).includes(comparison)) {
    problems.push(
      `${where}.comparison must be one of ${COMPARISONS.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(comparison)}`,
    );
  }
  const threshold = raw['threshold'];
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    problems.push(`${where}.threshold must be a number, got ${JSON.stringify(threshold)}`);
  }
  const windowMs = duration(raw, 'window', where, problems);
  if (windowMs === 0) problems.push(`${where}.window must be longer than 0`);
  const forMs = duration(raw, 'for', where, problems, 0);
  const minCount = raw['min_count'] ?? 1;
  if (typeof minCount !== 'number' || !Number.isSafeInteger(minCount) || minCount < 1) {
    problems.push(`${where}.min_count must be a whole number ≥ 1, got ${JSON.stringify(minCount)}`);
  }
  const quantile = raw['quantile'];
  if (quantile !== undefined && (typeof quantile !== 'number' || !(quantile > 0 && quantile < 1))) {
    problems.push(`${where}.quantile must be a number between 0 and 1 such as 0.99, got ${JSON.stringify(quantile)}`);
  }
  const receivers = raw['receivers'];
  if (
    receivers !== undefined &&
    (!Array.isArray(receivers) || !receivers.every((r) => typeof r === 'string' && r !== ''))
  ) {
    problems.push(`${where}.receivers must be a list of receiver names, got ${JSON.stringify(receivers)}`);
  }

  const selector = {
    model: text(raw, 'model', where, problems),
    version: text(raw, 'version', where, problems),
    feature: text(raw, 'feature', where, problems),
    statistic: text(raw, 'statistic', where, problems),
    service: text(raw, 'service', where, problems),
    operation: text(raw, 'operation', where, problems),
  };
  const known = KNOWN_METRICS.find((m) => m === metric);
  if (known !== undefined) {
    for (const field of REQUIRED[known]) {
      const present = field === 'quantile' ? quantile !== undefined : selector[field] !== undefined;
      if (!present) problems.push(`${where}.${field} is required for metric ${known}`);
    }
  }
  const slice = stringMap(raw, 'slice', where, problems);
  const labels = stringMap(raw, 'labels', where, problems) ?? {};
  const annotations = stringMap(raw, 'annotations', where, problems) ?? {};
  const name = text(raw, 'name', where, problems) ?? id ?? '';
  const severity = text(raw, 'severity', where, problems) ?? 'warning';
  const dataset = parseRuleDataset(raw['dataset'], selector.model, where, problems);
  if (problems.length > 0) return { ok: false, problems };

  const rule: AlertRule = {
    id: id as string,
    name,
    metric: metric as string,
    comparison: comparison as Comparison,
    threshold: threshold as number,
    windowMs: windowMs as number,
    forMs: forMs as number,
    minCount: minCount as number,
    severity,
    labels,
    annotations,
    origin,
  };
  for (const [k, v] of Object.entries(selector)) if (v !== undefined) (rule as unknown as Raw)[k] = v;
  if (quantile !== undefined) rule.quantile = quantile as number;
  if (slice !== undefined) rule.slice = slice;
  if (receivers !== undefined) rule.receivers = [...(receivers as string[])];
  if (dataset !== undefined) rule.dataset = dataset;
  return { ok: true, rule };
}

/** The rule in its external shape (what parseRule reads), plus where it came from. */
export function ruleToJson(rule: AlertRule): Record<string, unknown> {
  const out: Record<string, unknown> = { id: rule.id, name: rule.name, metric: rule.metric };
  for (const key of [
    'model',
    'version',
    'feature',
    'statistic',
    'service',
    'operation',
    'quantile',
    'slice',
  ] as const) {
    if (rule[key] !== undefined) out[key] = rule[key];
  }
  Object.assign(out, {
    comparison: rule.comparison,
    threshold: rule.threshold,
    window: formatDuration(rule.windowMs),
    for: formatDuration(rule.forMs),
    min_count: rule.minCount,
    severity: rule.severity,
    labels: rule.labels,
    annotations: rule.annotations,
  });
  if (rule.receivers !== undefined) out['receivers'] = rule.receivers;
  if (rule.dataset !== undefined) out['dataset'] = datasetJson(rule.dataset);
  out['origin'] = rule.origin;
  return out;
}
