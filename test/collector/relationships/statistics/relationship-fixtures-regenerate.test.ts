/**
 * Re-runs test/fixtures/drift/make-relationship-fixtures.py into a temporary folder and compares its
 * output with the committed relationships.json (to 1e-9 relative), so the fixture cannot drift from
 * the script or from scipy unnoticed. Skipped, saying why, only without python3 + numpy + scipy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDir } from '../../drift/drift-fixtures.js';
import { relationshipFixtures } from './relationship-fixtures.js';

const available = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' }).status === 0;
if (!available)
  console.warn(
    'SKIPPED relationship fixture regeneration: python3 with numpy and scipy is not available (install python3-scipy).',
  );

function differences(actual: unknown, expected: unknown, path: string): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.abs(expected)
      ? []
      : [`${path}: ${actual} vs ${expected}`];
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`${path}: length ${actual.length} vs ${expected.length}`];
    return expected.flatMap((e, i) => differences(actual[i], e, `${path}[${i}]`));
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    return Object.keys(expected)
      .filter((k) => k !== 'scipy' && k !== 'numpy')
      .flatMap((k) =>
        differences((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`),
      );
  }
  return actual === expected ? [] : [`${path}: ${String(actual)} vs ${String(expected)}`];
}

describe.skipIf(!available)('make-relationship-fixtures.py reproduces relationships.json', () => {
  const out = mkdtempSync(join(tmpdir(), 'relationship-fixtures-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs and writes the same numbers', () => {
    const run = spawnSync('python3', [join(fixtureDir, 'make-relationship-fixtures.py'), out], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(differences(relationshipFixtures(out), relationshipFixtures(), 'relationships.json')).toEqual([]);
  });
});
