import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// package.json sits two levels up from dist/bin and one up from bin when run from source.
function readVersion(): string {
  for (const p of ['../../package.json', '../package.json']) {
    try {
      return (require(p) as { version: string }).version;
    } catch {
      // try the next location
    }
  }
  return '0.0.0';
}

export const version = readVersion();
