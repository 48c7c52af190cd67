import type { FlagValues, Setting } from '../../shared/config.js';
import { ConfigReader } from '../../shared/config.js';

/**
 * The alerting settings: each from its flag, else its environment variable, else (interval and
 * external URL) the rules file, else the default. Every problem is reported together.
 */
export const ALERT_SETTINGS = {
  rulesFile: { flag: 'alert-rules', env: 'INFERTRACE_ALERT_RULES' },
  interval: { flag: 'alert-interval', env: 'INFERTRACE_ALERT_INTERVAL' },
  externalUrl: { flag: 'external-url', env: 'INFERTRACE_EXTERNAL_URL' },
} as const satisfies Record<string, Setting>;

export interface AlertSettings {
  /** Path of the YAML rules file; undefined: rules come only from the API. */
  rulesFile: string | undefined;
  /** Evaluation interval; undefined: the rules file's `interval`, else 30 s. */
  intervalMs: number | undefined;
  /** Base URL for links in notifications; undefined: the rules file's `external_url`, else none. */
  externalUrl: string | undefined;
}

/** Reads the settings; throws a ConfigError naming every problem (flag and variable). */
export function readAlertSettings(flags: FlagValues, env: NodeJS.ProcessEnv): Readonly<AlertSettings> {
  const r = new ConfigReader(flags, env);
  const s = ALERT_SETTINGS;
  const settings: AlertSettings = {
    rulesFile: r.raw(s.rulesFile),
    intervalMs: r.duration(s.interval, undefined, { min: 1000 }),
    externalUrl: r.url(s.externalUrl),
  };
  r.done();
  return Object.freeze(settings);
}
