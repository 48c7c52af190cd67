import type { Generalisation } from './generalise.js';
import { globsToRegExp } from './glob.js';
import type { Pseudonymiser } from '../../../shared/pseudonyms/hmac.js';
import type { IdentifierTest } from './identifiers.js';
import { PII_KINDS, type PiiDetector, type PiiKind } from './pii/detector.js';
import { detectorsFor } from './pii/scan.js';
import { isRecord, type SectionReader } from './rules-file.js';

const PRIVACY_ACTIONS = ['keep', 'drop', 'mask', 'pseudonymise', 'generalise'] as const;
export type PrivacyAction = (typeof PRIVACY_ACTIONS)[number];
/** Actions that need no per-rule options, so they can be the default for unmatched features. */
const DEFAULT_ACTIONS = ['keep', 'drop', 'mask', 'pseudonymise'] as const;
export type DefaultAction = (typeof DEFAULT_ACTIONS)[number];
type RuleScope = 'inputs' | 'outputs' | 'both';
type PiiAction = 'mask' | 'drop' | 'off';

const SPELLINGS: Readonly<Record<string, PrivacyAction>> = { pseudonymize: 'pseudonymise', generalize: 'generalise' };

export interface PrivacyRule {
  readonly patterns: readonly string[];
  readonly test: RegExp;
  readonly action: PrivacyAction;
  readonly scope: RuleScope;
  /** For `generalise`. */
  readonly generalisation?: Generalisation;
  /** Scan kept free text for PII (default true; `pii: false` turns it off for this rule). */
  readonly scanPii: boolean;
  /** `file:line: rule N (match "...")`, for start-up messages. */
  readonly where: string;
}

export interface PiiPolicy {
  readonly action: PiiAction;
  readonly detectors: readonly PiiDetector[];
}

/** Everything the privacy step needs; `pseudonymiser` is present whenever a rule needs it. */
export interface PrivacyPolicy {
  readonly defaultAction: DefaultAction;
  readonly rules: readonly PrivacyRule[];
  readonly pii: PiiPolicy;
  readonly pseudonymiser?: Pseudonymiser;
  /** Names that identify a person (identifiers.ts): pseudonymised with a key, dropped without; absent: none. */
  readonly identifiers?: IdentifierTest;
}

export const DEFAULT_PII: PiiPolicy = Object.freeze({ action: 'mask', detectors: detectorsFor(PII_KINDS) });

// Feature names repeat from request to request: remember each name's rule (bounded, per policy).
const ruleCache = new WeakMap<PrivacyPolicy, Map<string, PrivacyRule | null>>();
const RULE_CACHE_SIZE = 10_000;

/** The first rule for `name` in this direction; rules are tried in file order. */
export function findRule(policy: PrivacyPolicy, name: string, direction: 'input' | 'output'): PrivacyRule | undefined {
  if (policy.rules.length === 0) return undefined;
  let cache = ruleCache.get(policy);
  if (!cache) ruleCache.set(policy, (cache = new Map()));
  const key = direction === 'input' ? `i:${name}` : `o:${name}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  const scope = direction === 'input' ? 'inputs' : 'outputs';
  const rule = policy.rules.find((r) => (r.scope === 'both' || r.scope === scope) && r.test.test(name));
  if (cache.size >= RULE_CACHE_SIZE) cache.clear();
  cache.set(key, rule ?? null);
  return rule;
}

function normaliseAction(text: unknown): PrivacyAction | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.toLowerCase();
  if ((PRIVACY_ACTIONS as readonly string[]).includes(t)) return t as PrivacyAction;
  return Object.hasOwn(SPELLINGS, t) ? SPELLINGS[t] : undefined;
}

/** Reads `default_action`, `pii` and `rules` of the rules file. */
export function parsePrivacySection(
  r: SectionReader,
  data: Record<string, unknown>,
): { defaultAction: DefaultAction; rules: PrivacyRule[]; pii: PiiPolicy } {
  let defaultAction: DefaultAction = 'keep';
  if (data.default_action !== undefined) {
    const a = normaliseAction(data.default_action);
    if (a === undefined || !(DEFAULT_ACTIONS as readonly string[]).includes(a)) {
      r.problem(
        ['default_action'],
        `default_action must be one of ${DEFAULT_ACTIONS.join(', ')}, got ${JSON.stringify(data.default_action)}`,
      );
    } else defaultAction = a as DefaultAction;
  }
  const rules: PrivacyRule[] = [];
  if (data.rules !== undefined) {
    if (!Array.isArray(data.rules)) r.problem(['rules'], 'rules must be a list');
    else
      data.rules.forEach((raw: unknown, i) => {
        const rule = parseRule(r, raw, i);
        if (rule) rules.push(rule);
      });
  }
  return { defaultAction, rules, pii: parsePii(r, data.pii) };
}

function parsePii(r: SectionReader, raw: unknown): PiiPolicy {
  if (raw === undefined) return DEFAULT_PII;
  if (!isRecord(raw)) {
    r.problem(['pii'], 'pii must be a mapping with "action" and "detectors"');
    return DEFAULT_PII;
  }
  r.onlyKeys(raw, ['pii'], ['action', 'detectors'], 'pii');
  let action: PiiAction = 'mask';
  if (raw.action !== undefined) {
    if (raw.action === 'mask' || raw.action === 'drop' || raw.action === 'off') action = raw.action;
    else r.problem(['pii', 'action'], `pii.action must be mask, drop or off, got ${JSON.stringify(raw.action)}`);
  }
  let kinds: PiiKind[] = [...PII_KINDS];
  if (raw.detectors !== undefined) {
    if (!Array.isArray(raw.detectors))
      r.problem(['pii', 'detectors'], `pii.detectors must be a list of ${PII_KINDS.join(', ')}`);
    else {
      kinds = [];
      raw.detectors.forEach((d: unknown, i) => {
        if (typeof d === 'string' && (PII_KINDS as readonly string[]).includes(d)) kinds.push(d as PiiKind);
        else
          r.problem(
            ['pii', 'detectors', i],
            `unknown PII detector ${JSON.stringify(d)}; expected one of ${PII_KINDS.join(', ')}`,
          );
      });
    }
  }
  return { action, detectors: detectorsFor(kinds) };
}

const RULE_KEYS = ['match', 'action', 'scope', 'pii', 'width', 'origin', 'edges'];

function parseRule(r: SectionReader, raw: unknown, i: number): PrivacyRule | undefined {
  const path = ['rules', i];
  const label = (patterns: string[]): string =>
    `rule ${i + 1}${patterns.length ? ` (match "${patterns.join('", "')}")` : ''}`;
  if (!isRecord(raw)) {
    r.problem(path, `${label([])}: a rule must be a mapping with "match" and "action"`);
    return undefined;
  }
  const patterns =
    typeof raw.match === 'string'
      ? [raw.match]
      : Array.isArray(raw.match)
        ? raw.match.filter((m): m is string => typeof m === 'string' && m !== '')
        : [];
  const name = label(patterns);
  const bad = (key: string, message: string): undefined => {
    r.problem([...path, key], `${name}: ${message}`);
    return undefined;
  };
  r.onlyKeys(raw, path, RULE_KEYS, name);
  if (patterns.length === 0 || (Array.isArray(raw.match) && patterns.length !== raw.match.length)) {
    return bad('match', 'match must be a feature name or pattern (or a list of them)');
  }
  const action = normaliseAction(raw.action);
  if (action === undefined) {
    return bad('action', `unknown action ${JSON.stringify(raw.action)}; expected one of ${PRIVACY_ACTIONS.join(', ')}`);
  }
  const scope = raw.scope ?? 'both';
  if (scope !== 'inputs' && scope !== 'outputs' && scope !== 'both')
    return bad('scope', `scope must be inputs, outputs or both, got ${JSON.stringify(scope)}`);
  if (raw.pii !== undefined && typeof raw.pii !== 'boolean') return bad('pii', 'pii must be true or false');
  let generalisation: Generalisation | undefined;
  if (action === 'generalise') {
    generalisation = parseGeneralisation(raw, bad);
    if (generalisation === undefined) return undefined;
  } else if (raw.width !== undefined || raw.edges !== undefined || raw.origin !== undefined) {
    return bad(
      raw.width !== undefined ? 'width' : raw.edges !== undefined ? 'edges' : 'origin',
      'width, origin and edges apply only to action generalise',
    );
  }
  const rule: PrivacyRule = {
    patterns,
    test: globsToRegExp(patterns),
    action,
    scope,
    scanPii: raw.pii !== false,
    where: `${r.doc.where(path)}: ${name}`,
    ...(generalisation ? { generalisation } : {}),
  };
  return Object.freeze(rule);
}

function parseGeneralisation(
  raw: Record<string, unknown>,
  bad: (key: string, message: string) => undefined,
): Generalisation | undefined {
  if (raw.edges !== undefined) {
    if (raw.width !== undefined) return bad('edges', 'give either width or edges, not both');
    const edges = raw.edges;
    const ok =
      Array.isArray(edges) &&
      edges.length > 0 &&
      edges.every((e, k) => typeof e === 'number' && Number.isFinite(e) && (k === 0 || e > (edges[k - 1] as number)));
    if (!ok) return bad('edges', 'edges must be a non-empty list of strictly ascending numbers');
    return { kind: 'edges', edges: Object.freeze([...(edges as number[])]) };
  }
  const width = raw.width ?? 10;
  const origin = raw.origin ?? 0;
  if (typeof width !== 'number' || !(width > 0) || !Number.isFinite(width))
    return bad('width', 'width must be a positive number');
  if (typeof origin !== 'number' || !Number.isFinite(origin)) return bad('origin', 'origin must be a number');
  return { kind: 'width', width, origin };
}
