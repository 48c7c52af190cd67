import { readFileSync } from 'node:fs';
import { isLoopback } from '../auth/binding.js';
import { DEFAULT_DATA_DIR, localSecretPaths } from '../../shared/local-secrets.js';

/**
 * The token the CLI sends: --token, else INFERTRACE_TOKEN, else the file INFERTRACE_TOKEN_FILE names,
 * else — only for a collector on this machine — the CLI token `infertrace up` wrote under ./data.
 * A local token is never sent to another machine unasked.
 */
export const TOKEN_HELP = `  --token TOKEN          bearer token with the read scope (env INFERTRACE_TOKEN, or a file in INFERTRACE_TOKEN_FILE;
                         default for a collector on this machine: ${localSecretPaths(DEFAULT_DATA_DIR).cliToken}, written by infertrace up)\n`;

export function clientToken(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  collectorUrl: string,
): { token?: string; problem?: string } {
  if (flag !== undefined && flag !== '') return { token: flag };
  const fromEnv = env['INFERTRACE_TOKEN'];
  if (fromEnv !== undefined && fromEnv !== '') return { token: fromEnv.trim() };
  const file = env['INFERTRACE_TOKEN_FILE'];
  if (file !== undefined && file !== '') {
    const token = readToken(file);
    return token === undefined ? { problem: `INFERTRACE_TOKEN_FILE: cannot read "${file}"` } : { token };
  }
  if (!isLoopback(new URL(collectorUrl).hostname)) return {};
  const local = readToken(localSecretPaths(DEFAULT_DATA_DIR).cliToken);
  return local === undefined ? {} : { token: local };
}

function readToken(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}
