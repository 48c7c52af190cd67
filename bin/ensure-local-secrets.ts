import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tokenHashText, newToken } from '../collector/auth/token-hash.js';
import { localSecretPaths } from '../shared/local-secrets.js';

/**
 * `infertrace up`'s secrets, made on first run and reused after: a token for the sidecar (ingest),
 * one for the CLI (read, feedback, admin, privacy), the collector's tokens file with their hashes,
 * and a 256-bit pseudonymisation key. The folder is 0700 and every file 0600: only their owner reads them.
 */
export interface LocalSecrets {
  paths: ReturnType<typeof localSecretPaths>;
  sidecarToken: string;
  /** Whether this run made them. */
  created: boolean;
}

export function ensureLocalSecrets(dataDir: string): LocalSecrets {
  const paths = localSecretPaths(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const created = !existsSync(paths.tokensFile) || !existsSync(paths.sidecarToken) || !existsSync(paths.cliToken);
  if (created) {
    const sidecar = newToken();
    const cli = newToken();
    writeSecret(paths.sidecarToken, `${sidecar}\n`);
    writeSecret(paths.cliToken, `${cli}\n`);
    writeSecret(
      paths.tokensFile,
      [
        '# Made by infertrace up: "<name> <scopes> sha256:<hash of the token>"; the tokens are beside this file.',
        `sidecar ingest ${tokenHashText(sidecar)}`,
        `cli read,feedback,admin,privacy ${tokenHashText(cli)}`,
        '',
      ].join('\n'),
    );
  }
  if (!existsSync(paths.hmacKey)) writeSecret(paths.hmacKey, `${randomBytes(32).toString('hex')}\n`);
  return { paths, sidecarToken: readFileSync(paths.sidecarToken, 'utf8').trim(), created };
}

function writeSecret(file: string, text: string): void {
  writeFileSync(file, text, { mode: 0o600 });
  chmodSync(file, 0o600); // an existing file keeps its mode on write
}
