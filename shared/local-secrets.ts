import { join } from 'node:path';

/**
 * Where `infertrace up` keeps the secrets it makes on first run, inside its data folder (beside the
 * database): the collector's tokens file (hashes only), the sidecar's and the CLI's tokens, and the
 * pseudonymisation key. The CLI finds its token here when talking to a collector on this machine.
 */
export const DEFAULT_DATA_DIR = './data';

export function localSecretPaths(dataDir: string): {
  dir: string;
  tokensFile: string;
  sidecarToken: string;
  cliToken: string;
  hmacKey: string;
} {
  const dir = join(dataDir, 'secrets');
  return {
    dir,
    tokensFile: join(dir, 'tokens'),
    sidecarToken: join(dir, 'sidecar.token'),
    cliToken: join(dir, 'cli.token'),
    hmacKey: join(dir, 'hmac.key'),
  };
}
