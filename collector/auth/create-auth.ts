import type { AuthSettings } from './auth-settings.js';
import { DEFAULT_AUTH } from './auth-settings.js';
import { AuthGate } from './auth-gate.js';
import { authMode } from './binding.js';
import { TokenSource } from './token-source.js';

/**
 * The gate for a collector listening on `host`: reads the tokens (a file that cannot be read, or a
 * line that does not parse, refuses the start with a ConfigError naming it), decides the mode
 * (binding.ts) and says at start what it decided.
 */
export function createAuthGate(
  settings: Readonly<AuthSettings> | undefined,
  host: string,
  log: (level: 'info' | 'warn' | 'error', message: string) => void,
): AuthGate {
  const s = settings ?? DEFAULT_AUTH;
  const configured = s.tokensFile !== undefined || s.tokensText !== undefined;
  const source = configured
    ? new TokenSource({
        ...(s.tokensFile !== undefined ? { file: s.tokensFile } : {}),
        ...(s.tokensText !== undefined ? { envText: s.tokensText } : {}),
        reloadMs: s.reloadMs,
        log,
      })
    : undefined;
  const mode = authMode(host, source !== undefined, s.insecureNoAuth);
  const gate = new AuthGate({ mode, ...(source ? { source } : {}), metricsAccess: s.metricsAccess, log });
  if (mode === 'insecure')
    log('warn', `${gate.healthWarning() as string}; configure tokens (--tokens-file) to close it`);
  if (mode === 'loopback-open')
    log(
      'info',
      'no tokens configured: only this machine can connect, and every local user can read captured data; add --tokens-file to require tokens',
    );
  source?.watch();
  return gate;
}
