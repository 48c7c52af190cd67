/**
 * Re-runs test/fixtures/drift/make-fixtures.py into a temporary folder and compares its output with
 * the committed JSON, so the fixtures cannot drift from the script (or from scipy) unnoticed.
 * Numbers must agree to 1e-9 relative: scipy 1.10 (Debian 12) and 1.17 agree to ~1e-13.
 * Skipped, saying why, only when python3 with numpy and scipy is not available.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureDir, readFixture } from '../drift-fixtures.js';

const probe = spawnSync('python3', ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
const available = probe.status === 0;
if (!available) {
  console.warn('SKIPPED fixture regeneration: python3 with numpy and scipy is not available (install python3-scipy).');
}

function compare(actual: unknown, expected: unknown, path: string): string[] {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const ok = actual === expected || Math.abs(actual - expected) <= 1e-9 * Math.abs(expected);
    return ok ? [] : [`${path}: ${actual} vs ${expected}`];
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return [`${path}: length ${actual.length} vs ${expected.length}`];
    return expected.flatMap((e, i) => compare(actual[i], e, `${path}[${i}]`));
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    return Object.keys(expected)
      .filter((k) => k !== 'scipy' && k !== 'numpy')
      .flatMap((k) =>
        compare((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`),
      );
  }
  return actual === expected ? [] : [`${path}: ${String(actual)} vs ${String(expected)}`];
}

describe.skipIf(!available)('make-fixtures.py reproduces the committed fixtures', () => {
  const out = mkdtempSync(join(tmpdir(), 'drift-fixtures-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('runs', () => {
    const run = spawnSync('python3', [join(fixtureDir, 'make-fixtures.py'), out], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it.each(['numeric.json', 'categorical.json', 'distributions.json'])('%s matches', (name) => {
    expect(compare(readFixture(name, out), readFixture(name), name)).toEqual([]);
  });
});
