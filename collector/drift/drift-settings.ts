import type { ConfigReader, Setting } from '../../shared/config.js';

/**
 * Settings of the drift pipeline (summaries, references, the drift API). Memory is bounded by
 * them: unflushed summaries live at most `flushIntervalMs`, raw reads stop at `maxRawSpans`, a
 * model/version tracks at most `maxFeatures` features.
 */
export interface DriftSettings {
  /** Whether ingested spans update drift summaries at all. Default true. */
  readonly enabled: boolean;
  /** Width of a summary time bucket, aligned to the Unix epoch. Default 1 hour. */
  readonly bucketWidthMs: number;
  /** How often summaries are merged into the database (also on close). Default 5 s. */
  readonly flushIntervalMs: number;
  /** Summary buckets older than this are deleted (checked at most once per bucket width). Default 30 days. */
  readonly retentionMs: number;
  /** Categories kept per categorical summary before the rest fold into "other". Default 200. */
  readonly maxCategories: number;
  /** Features (inputs and outputs) tracked per model and version; further ones are ignored and counted. Default 500. */
  readonly maxFeatures: number;
  /** Largest reference upload (CSV or JSON body). Default 32 MiB. */
  readonly referenceMaxBytes: number;
  /** Raw values kept per feature of an uploaded reference (beyond: summary only). Default 100,000. */
  readonly referenceRawCap: number;
  /** SERVER spans read per window side for raw values (window edges, slices, exemplars). Default 100,000. */
  readonly maxRawSpans: number;
  /** Slices reported at most (the most frequent values; the others are counted). Default 20. */
  readonly maxSlices: number;
  /** Exemplars per feature at most, whatever `exemplars=` asks. Default 50. */
  readonly maxExemplars: number;
  /** Recently seen span ids remembered to ignore a retried export's duplicates. Default 65,536. */
  readonly dedupeCapacity: number;
}

export const DEFAULT_DRIFT_SETTINGS: DriftSettings = Object.freeze({
  enabled: true,
  bucketWidthMs: 3_600_000,
  flushIntervalMs: 5_000,
  retentionMs: 30 * 86_400_000,
  maxCategories: 200,
  maxFeatures: 500,
  referenceMaxBytes: 32 * 1024 * 1024,
  referenceRawCap: 100_000,
  maxRawSpans: 100_000,
  maxSlices: 20,
  maxExemplars: 50,
  dedupeCapacity: 65_536,
});

/** Every problem with the settings, each naming the setting; empty when they are usable. */
function driftSettingProblems(s: DriftSettings): string[] {
  const problems: string[] = [];
  const positiveInt = (name: keyof DriftSettings): void => {
    const v = s[name] as number;
    if (!Number.isInteger(v) || v <= 0) problems.push(`${name} must be a positive whole number, got ${v}`);
  };
  for (const name of [
    'bucketWidthMs',
    'flushIntervalMs',
    'retentionMs',
    'maxCategories',
    'maxFeatures',
    'referenceMaxBytes',
    'referenceRawCap',
    'maxRawSpans',
    'maxSlices',
    'maxExemplars',
    'dedupeCapacity',
  ] as const)
    positiveInt(name);
  if (s.retentionMs < s.bucketWidthMs) problems.push('retentionMs must be at least bucketWidthMs');
  return problems;
}

/** Defaults overlaid with `overrides`; throws a RangeError naming every bad setting. */
export function resolveDriftSettings(overrides: Partial<DriftSettings> = {}): DriftSettings {
  const s = { ...DEFAULT_DRIFT_SETTINGS, ...overrides };
  const problems = driftSettingProblems(s);
  if (problems.length > 0) throw new RangeError(`invalid drift settings: ${problems.join('; ')}`);
  return Object.freeze(s);
}

/** The environment variables (and flags) that set them; documented in the drift API notes. */
export const DRIFT_SETTINGS = {
  enabled: { flag: 'drift', env: 'INFERTRACE_DRIFT' },
  bucketWidth: { flag: 'drift-bucket', env: 'INFERTRACE_DRIFT_BUCKET' },
  flushInterval: { flag: 'drift-flush-interval', env: 'INFERTRACE_DRIFT_FLUSH_INTERVAL' },
  retention: { flag: 'drift-retention', env: 'INFERTRACE_DRIFT_RETENTION' },
  maxCategories: { flag: 'drift-max-categories', env: 'INFERTRACE_DRIFT_MAX_CATEGORIES' },
  maxFeatures: { flag: 'drift-max-features', env: 'INFERTRACE_DRIFT_MAX_FEATURES' },
  referenceMaxBytes: { flag: 'drift-reference-max-bytes', env: 'INFERTRACE_DRIFT_REFERENCE_MAX_BYTES' },
  referenceRawCap: { flag: 'drift-reference-raw-cap', env: 'INFERTRACE_DRIFT_REFERENCE_RAW_CAP' },
  maxRawSpans: { flag: 'drift-max-raw-spans', env: 'INFERTRACE_DRIFT_MAX_RAW_SPANS' },
  maxSlices: { flag: 'drift-max-slices', env: 'INFERTRACE_DRIFT_MAX_SLICES' },
} as const;

/**
 * Reads the settings through the collector's ConfigReader; problems are added to the reader so
 * they are reported with every other configuration problem at start-up.
 */
export function readDriftSettings(reader: ConfigReader): DriftSettings {
  const S = DRIFT_SETTINGS;
  const d = DEFAULT_DRIFT_SETTINGS;
  const duration = (s: Setting, fallback: number): number => reader.duration(s, fallback, { min: 1 });
  const whole = (s: Setting, fallback: number, max: number): number =>
    reader.number(s, fallback, { min: 1, max, integer: true });
  const s: DriftSettings = {
    ...d,
    enabled: reader.boolean(S.enabled, d.enabled),
    bucketWidthMs: duration(S.bucketWidth, d.bucketWidthMs),
    flushIntervalMs: duration(S.flushInterval, d.flushIntervalMs),
    retentionMs: duration(S.retention, d.retentionMs),
    maxCategories: whole(S.maxCategories, d.maxCategories, 100_000),
    maxFeatures: whole(S.maxFeatures, d.maxFeatures, 100_000),
    referenceMaxBytes: reader.byteSize(S.referenceMaxBytes, d.referenceMaxBytes, { min: 1, max: 1024 ** 3 }),
    referenceRawCap: whole(S.referenceRawCap, d.referenceRawCap, 10_000_000),
    maxRawSpans: whole(S.maxRawSpans, d.maxRawSpans, 10_000_000),
    maxSlices: whole(S.maxSlices, d.maxSlices, 1_000),
  };
  const problems = driftSettingProblems(s);
  if (problems.length > 0) {
    reader.problems.push(...problems.map((p) => `drift: ${p}`));
    return d;
  }
  return Object.freeze(s);
}
