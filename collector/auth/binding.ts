import { isIP } from 'node:net';
import { ConfigError } from '../../shared/config.js';

/** Whether only this machine can reach an address the collector listens on. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

export type AuthMode = 'tokens' | 'loopback-open' | 'insecure';

/**
 * Tokens configured: they are required. None: fine on loopback (only this machine can connect);
 * elsewhere the collector refuses to start unless told --insecure-no-auth.
 */
export function authMode(host: string, hasTokens: boolean, insecureNoAuth: boolean): AuthMode {
  if (hasTokens) return 'tokens';
  if (isLoopback(host)) return 'loopback-open';
  if (insecureNoAuth) return 'insecure';
  throw new ConfigError([
    `refusing to listen on ${host} without authentication: anyone who can reach it could read, change and delete what models were sent. ` +
      'Add a token: run "infertrace token --name NAME --scopes ingest,read", put the line it prints in a file and pass ' +
      '--tokens-file FILE (or INFERTRACE_TOKENS_FILE=FILE, or the line in INFERTRACE_TOKENS); or listen on 127.0.0.1; ' +
      'or, accepting the risk, pass --insecure-no-auth (INFERTRACE_INSECURE_NO_AUTH=true)',
  ]);
}
