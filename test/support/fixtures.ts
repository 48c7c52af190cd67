import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './repo-root.js';

/** Path of a file under test/fixtures/. */
export function fixturePath(...parts: string[]): string {
  return resolve(repoRoot, 'test', 'fixtures', ...parts);
}

export function readFixture(...parts: string[]): string {
  return readFileSync(fixturePath(...parts), 'utf8');
}

export function readFixtureJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFixture(...parts)) as T;
}
