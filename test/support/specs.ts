import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Path of a file in the reference material beside the checkout (`../shared/specs/`). */
export function specPath(...parts: string[]): string {
  return resolve(repoRoot, '..', 'shared', 'specs', ...parts);
}

export function readSpec(...parts: string[]): string {
  return readFileSync(specPath(...parts), 'utf8');
}

export function readSpecJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readSpec(...parts)) as T;
}
