import type { ConfigReader } from '../../shared/config.js';

/**
 * Settings of the relationship summaries. Buckets, flushing, retention and raw-read limits are
 * drift's (the two summaries share their time buckets); these bound what relationships add.
 */
export interface RelationshipSettings {
  /** Whether ingested spans update relationship summaries. Default true (needs drift enabled). */
  readonly enabled: boolean;
  /** (input, output) pairs summarised per model and version, outputs first. Default 200. */
  readonly maxPairs: number;
  /** Distinct labels per axis of a joint histogram before the rest count as "other". Default 64. */
  readonly maxLabels: number;
}

export const DEFAULT_RELATIONSHIP_SETTINGS: RelationshipSettings = Object.freeze({
  enabled: true,
  maxPairs: 200,
  maxLabels: 64,
});

export const RELATIONSHIP_SETTINGS = {
  enabled: { flag: 'relationships', env: 'INFERTRACE_RELATIONSHIPS' },
  maxPairs: { flag: 'relationship-max-pairs', env: 'INFERTRACE_RELATIONSHIP_MAX_PAIRS' },
} as const;

export function resolveRelationshipSettings(overrides: Partial<RelationshipSettings> = {}): RelationshipSettings {
  const s = { ...DEFAULT_RELATIONSHIP_SETTINGS, ...overrides };
  for (const name of ['maxPairs', 'maxLabels'] as const) {
    if (!Number.isInteger(s[name]) || s[name] <= 0)
      throw new RangeError(`invalid relationship settings: ${name} must be a positive whole number, got ${s[name]}`);
  }
  return Object.freeze(s);
}

/** Reads the settings through the collector's ConfigReader (problems are reported with the rest). */
export function readRelationshipSettings(reader: ConfigReader): RelationshipSettings {
  const d = DEFAULT_RELATIONSHIP_SETTINGS;
  return Object.freeze({
    ...d,
    enabled: reader.boolean(RELATIONSHIP_SETTINGS.enabled, d.enabled),
    maxPairs: reader.number(RELATIONSHIP_SETTINGS.maxPairs, d.maxPairs, { min: 1, max: 100_000, integer: true }),
  });
}
