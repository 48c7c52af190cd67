import type { ConfigReader, Setting } from '../../shared/config.js';
import { parseDurationMs } from '../../shared/units.js';

/**
 * The retention settings that belong to no other area: how long (and how large) each table of
 * captured data or its derivatives may grow. The spans' limits (`--retention`, `--max-db-size`),
 * drift's and relationships' (`--drift-retention`) and pending feedback's (`--feedback-pending-ttl`)
 * stay with their areas; the policy (retention-policy.ts) gathers all of them into one table,
 * documented together in docs/configuration.md. A duration of 0 means no limit.
 */
export const RETENTION_SETTINGS = {
  interval: { flag: 'retention-interval', env: 'INFERTRACE_RETENTION_INTERVAL' },
  outbox: { flag: 'outbox-retention', env: 'INFERTRACE_OUTBOX_RETENTION' },
  outboxMaxSize: { flag: 'outbox-max-size', env: 'INFERTRACE_OUTBOX_MAX_SIZE' },
  feedback: { flag: 'feedback-retention', env: 'INFERTRACE_FEEDBACK_RETENTION' },
  alertsResolved: { flag: 'alert-retention', env: 'INFERTRACE_ALERT_RETENTION' },
  alertsFiring: { flag: 'alert-firing-retention', env: 'INFERTRACE_ALERT_FIRING_RETENTION' },
  references: { flag: 'reference-retention', env: 'INFERTRACE_REFERENCE_RETENTION' },
} as const satisfies Record<string, Setting>;

export interface RetentionSettings {
  /** How often the background pass runs. */
  readonly intervalMs: number;
  /** Outbox rows older than this are dropped, delivered or not. */
  readonly outboxMaxAgeMs: number;
  /** The outbox's fragments are kept under this many bytes (oldest dropped first); 0: no limit. */
  readonly outboxMaxBytes: number;
  /** Joined feedback whose prediction is older than this is deleted. */
  readonly feedbackMaxAgeMs: number;
  /** Resolved alerts, and finished notifications, are deleted this long after they ended. */
  readonly alertsResolvedMaxAgeMs: number;
  /** Alerts still pending or firing this long after they became active are deleted (a new one starts if the condition holds). */
  readonly alertsFiringMaxAgeMs: number;
  /** References (training profiles, pinned windows) not marked `keep` are deleted this long after upload. */
  readonly referencesMaxAgeMs: number;
}

const RETENTION_DEFAULTS = {
  interval: '1m',
  outbox: '3d',
  outboxMaxSize: 512 * 1024 * 1024,
  feedback: '90d',
  alertsResolved: '7d',
  alertsFiring: '30d',
  references: '365d',
} as const;

const ms = (text: string): number => parseDurationMs(text) as number;

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = Object.freeze({
  intervalMs: ms(RETENTION_DEFAULTS.interval),
  outboxMaxAgeMs: ms(RETENTION_DEFAULTS.outbox),
  outboxMaxBytes: RETENTION_DEFAULTS.outboxMaxSize,
  feedbackMaxAgeMs: ms(RETENTION_DEFAULTS.feedback),
  alertsResolvedMaxAgeMs: ms(RETENTION_DEFAULTS.alertsResolved),
  alertsFiringMaxAgeMs: ms(RETENTION_DEFAULTS.alertsFiring),
  referencesMaxAgeMs: ms(RETENTION_DEFAULTS.references),
});

/** Reads the settings; problems are collected in the reader (reported with every other one). */
export function readRetentionSettings(r: ConfigReader): RetentionSettings {
  const S = RETENTION_SETTINGS;
  const d = DEFAULT_RETENTION_SETTINGS;
  return Object.freeze({
    intervalMs: r.duration(S.interval, d.intervalMs, { min: 1000 }),
    outboxMaxAgeMs: r.duration(S.outbox, d.outboxMaxAgeMs),
    outboxMaxBytes: r.byteSize(S.outboxMaxSize, d.outboxMaxBytes),
    feedbackMaxAgeMs: r.duration(S.feedback, d.feedbackMaxAgeMs),
    alertsResolvedMaxAgeMs: r.duration(S.alertsResolved, d.alertsResolvedMaxAgeMs),
    alertsFiringMaxAgeMs: r.duration(S.alertsFiring, d.alertsFiringMaxAgeMs),
    referencesMaxAgeMs: r.duration(S.references, d.referencesMaxAgeMs),
  });
}
