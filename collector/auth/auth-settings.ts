import type { ConfigReader } from '../../shared/config.js';
import { settingName } from '../../shared/config.js';

/** The collector's authentication settings; the tokens themselves are never flags (they would show in `ps`). */
export const AUTH_SETTINGS = {
  tokensFile: { flag: 'tokens-file', env: 'INFERTRACE_TOKENS_FILE' },
  tokens: { env: 'INFERTRACE_TOKENS' },
  tokensReload: { flag: 'tokens-reload', env: 'INFERTRACE_TOKENS_RELOAD' },
  insecureNoAuth: { flag: 'insecure-no-auth', env: 'INFERTRACE_INSECURE_NO_AUTH' },
  metricsAuth: { flag: 'metrics-auth', env: 'INFERTRACE_METRICS_AUTH' },
} as const;

export interface AuthSettings {
  /** File of `<name> <scopes> sha256:<hex>` lines, reloaded when it changes. */
  tokensFile?: string;
  /** The same lines from INFERTRACE_TOKENS. */
  tokensText?: string;
  reloadMs: number;
  insecureNoAuth: boolean;
  /** Whether /metrics needs a `read` token. */
  metricsAccess: 'open' | 'read';
}

export const DEFAULT_AUTH: AuthSettings = { reloadMs: 2000, insecureNoAuth: false, metricsAccess: 'read' };

export function readAuthSettings(r: ConfigReader): AuthSettings {
  const s = AUTH_SETTINGS;
  const metrics = r.string(s.metricsAuth, DEFAULT_AUTH.metricsAccess);
  if (metrics !== 'open' && metrics !== 'read')
    r.problems.push(`${settingName(s.metricsAuth)} must be open or read, got "${metrics}"`);
  const tokensFile = r.raw(s.tokensFile);
  const tokensText = r.raw(s.tokens);
  return {
    ...(tokensFile !== undefined ? { tokensFile } : {}),
    ...(tokensText !== undefined ? { tokensText } : {}),
    reloadMs: r.duration(s.tokensReload, DEFAULT_AUTH.reloadMs, { min: 10 }),
    insecureNoAuth: r.boolean(s.insecureNoAuth, false),
    metricsAccess: metrics === 'open' ? 'open' : 'read',
  };
}

/** parseArgs options of these settings: --insecure-no-auth is a switch, the others take a value. */
export function authFlagOptions(): Record<string, { type: 'string' } | { type: 'boolean' }> {
  return {
    'tokens-file': { type: 'string' },
    'tokens-reload': { type: 'string' },
    'metrics-auth': { type: 'string' },
    'insecure-no-auth': { type: 'boolean' },
  };
}
