import type { FlagValues, Setting } from '../shared/config.js';
import { ConfigError, ConfigReader, settingName } from '../shared/config.js';
import { parseDurationMs } from '../shared/units.js';
import type { AuthSettings } from './auth/auth-settings.js';
import { readAuthSettings } from './auth/auth-settings.js';
import type { AlertSettings } from './alerts/alert-settings.js';
import { readAlertSettings } from './alerts/alert-settings.js';
import type { DriftSettings } from './drift/drift-settings.js';
import { readDriftSettings } from './drift/drift-settings.js';
import type { ForwardConfig } from './forwarding/forward-config.js';
import { readForwardConfig } from './forwarding/forward-config.js';
import type { FeedbackSettings } from './feedback/feedback-settings.js';
import { readRelationshipSettings, type RelationshipSettings } from './relationships/relationship-settings.js';
import { readFeedbackSettings } from './feedback/feedback-settings.js';
import type { LatencyOptions } from './metrics/latency/latency-options.js';
import { readLatencyOptions } from './metrics/latency/latency-options.js';
import { readSubjectSettings, type SubjectSettings } from './subjects/subject-settings.js';

/**
 * The collector's configuration: each setting from its flag, else its environment variable, else
 * its default; parsed once, fully resolved, frozen. Every problem is reported together.
 */
export interface CollectorConfig {
  /** Address to listen on: loopback by default; elsewhere tokens are required (auth/binding.ts). */
  host: string;
  /** Port for OTLP/HTTP ingest, Zipkin ingest and the query API (0: any free port). */
  port: number;
  /** SQLite database file, or `:memory:`. */
  db: string;
  /** Spans older than this are deleted in the background; 0 keeps them forever. */
  retentionMs: number;
  /** Oldest spans are deleted while the database is larger than this; undefined: no size limit. */
  maxDbSizeBytes: number | undefined;
  /** Largest request body, before and after decompression (OTLP recommends 64 MiB). */
  bodyLimitBytes: number;
  /**
   * Bytes all ingest requests in flight may hold together (bodies, what decoding builds, spans not
   * yet committed); beyond it requests get 503 + Retry-After. The default keeps the collector under
   * ~512 MB of RSS. Absent (configs made by hand): the default.
   */
  memoryBudgetBytes?: number;
  /** How long a graceful shutdown may take before the process gives up waiting. */
  shutdownTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Tokens and scopes; absent in configs made by hand (tests): no tokens. */
  auth?: AuthSettings;
  /** Settings of the areas built on the span stream. */
  features: CollectorFeatureSettings;
}

interface CollectorFeatureSettings {
  latency: LatencyOptions;
  drift: DriftSettings;
  relationships: RelationshipSettings;
  forward: ForwardConfig;
  feedback: Readonly<FeedbackSettings>;
  alerts: Readonly<AlertSettings>;
  /** Absent in configs made by hand (tests): no keyring, no erasure webhook. */
  subjects?: SubjectSettings;
}

export const COLLECTOR_SETTINGS = {
  host: { flag: 'host', env: 'INFERTRACE_HOST' },
  port: { flag: 'port', env: 'INFERTRACE_PORT' },
  db: { flag: 'db', env: 'INFERTRACE_DB' },
  retention: { flag: 'retention', env: 'INFERTRACE_RETENTION' },
  maxDbSize: { flag: 'max-db-size', env: 'INFERTRACE_MAX_DB_SIZE' },
  bodyLimit: { flag: 'body-limit', env: 'INFERTRACE_BODY_LIMIT' },
  memoryBudget: { flag: 'memory-budget', env: 'INFERTRACE_MEMORY_BUDGET' },
  shutdownTimeout: { flag: 'shutdown-timeout', env: 'INFERTRACE_SHUTDOWN_TIMEOUT' },
  logLevel: { flag: 'log-level', env: 'INFERTRACE_LOG_LEVEL' },
} as const satisfies Record<string, Setting>;

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 4318,
  db: './data/infertrace.db',
  retention: '7d',
  bodyLimitBytes: 64 * 1024 * 1024,
  memoryBudgetBytes: 256 * 1024 * 1024,
  shutdownTimeout: '10s',
  logLevel: 'info',
} as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A default duration of DEFAULTS (`7d`, `10s`) in milliseconds. */
const ms = (text: string): number => parseDurationMs(text) as number;

/** Reads the configuration; throws a ConfigError naming every problem (flag and variable). */
export function readCollectorConfig(flags: FlagValues, env: NodeJS.ProcessEnv): Readonly<CollectorConfig> {
  const r = new ConfigReader(flags, env);
  const s = COLLECTOR_SETTINGS;
  const db = r.string(s.db, DEFAULTS.db);
  if (db.trim() === '') r.problems.push(`${settingName(s.db)} must name a database file or :memory:`);
  const logLevel = r.string(s.logLevel, DEFAULTS.logLevel);
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    r.problems.push(`${settingName(s.logLevel)} must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const config: CollectorConfig = {
    host: r.string(s.host, DEFAULTS.host),
    port: r.port(s.port, DEFAULTS.port),
    db,
    retentionMs: r.duration(s.retention, ms(DEFAULTS.retention)),
    maxDbSizeBytes: r.byteSize(s.maxDbSize, undefined, { min: 1024 * 1024 }),
    bodyLimitBytes: r.byteSize(s.bodyLimit, DEFAULTS.bodyLimitBytes, { min: 1024 }),
    memoryBudgetBytes: r.byteSize(s.memoryBudget, DEFAULTS.memoryBudgetBytes, { min: 1024 * 1024 }),
    shutdownTimeoutMs: r.duration(s.shutdownTimeout, ms(DEFAULTS.shutdownTimeout)),
    logLevel: LOG_LEVELS.find((l) => l === logLevel) ?? DEFAULTS.logLevel,
    auth: readAuthSettings(r),
    features: readFeatureSettings(r, flags, env),
  };
  r.done();
  return Object.freeze(config);
}

/** Each area's own settings, with their problems added to the collector's list. */
function readFeatureSettings(r: ConfigReader, flags: FlagValues, env: NodeJS.ProcessEnv): CollectorFeatureSettings {
  const own = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      r.problems.push(...err.problems);
      return undefined as T; // never used: r.done() throws
    }
  };
  return {
    latency: readLatencyOptions(r),
    drift: readDriftSettings(r),
    relationships: readRelationshipSettings(r),
    forward: readForwardConfig(r),
    feedback: own(() => readFeedbackSettings(flags, env)),
    alerts: own(() => readAlertSettings(flags, env)),
    subjects: readSubjectSettings(r),
  };
}
