/** Loads the scipy fixtures written by test/fixtures/drift/make-fixtures.py. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/repo-root.js';

export const fixtureDir = join(repoRoot, 'test', 'fixtures', 'drift');

export interface NumericFixture {
  name: string;
  reference: number[];
  current: number[];
  expected: {
    ks: { statistic: number; pValue: number; method: 'exact' | 'asymp' };
    edges: number[];
    referenceCounts: number[];
    currentCounts: number[];
    psi: number;
    jensenShannon: { e: number; '2': number };
    kl: { e: number; '2': number };
    wasserstein: number;
    referenceStd: number;
    wassersteinNormed: number;
  };
}

export interface CategoricalFixture {
  name: string;
  reference: Record<string, number>;
  current: Record<string, number>;
  expected: {
    categories: string[];
    chiSquare: { statistic: number; pValue: number; dof: number };
    jensenShannon: { e: number; '2': number };
    psi: number;
    lInfinity: number;
  };
}

export interface DistributionPoints {
  kstwo: { n: number; x: number; sf: number }[];
  chi2: { x: number; dof: number; sf: number }[];
}

export function readFixture<T>(name: string, dir: string = fixtureDir): T {
  return JSON.parse(readFileSync(join(dir, name), 'utf8')) as T;
}

export const numericFixtures = (): NumericFixture[] =>
  readFixture<{ fixtures: NumericFixture[] }>('numeric.json').fixtures;
export const categoricalFixtures = (): CategoricalFixture[] =>
  readFixture<{ fixtures: CategoricalFixture[] }>('categorical.json').fixtures;
export const distributionPoints = (): DistributionPoints => readFixture<DistributionPoints>('distributions.json');

/** p-values: relative 1e-6 (with a floor far below any p-value a person reads). */
export function expectRelative(actual: number, expected: number, rel: number, floor = 1e-300): void {
  const ok = Math.abs(actual - expected) <= rel * Math.abs(expected) + floor;
  if (!ok) throw new Error(`expected ${actual} to be within ${rel} (relative) of ${expected}`);
}

/** Distances: |a − b| ≤ tol · max(1, |b|), i.e. absolute below 1 and relative above. */
export function expectClose(actual: number, expected: number, tol: number): void {
  const ok = Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  if (!ok) throw new Error(`expected ${actual} to be within ${tol} of ${expected}`);
}
