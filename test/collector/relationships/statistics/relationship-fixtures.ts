/** Loads test/fixtures/drift/relationships.json (written by make-relationship-fixtures.py). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureDir } from '../../drift/drift-fixtures.js';

export interface RelationshipFixtures {
  pearson: { name: string; x: number[]; y: number[]; r: number }[];
  fisher: { r1: number; n1: number; r2: number; n2: number; z: number; p: number }[];
  association: { name: string; table: number[][]; mi: number; mi_bits: number; cramers_v: number }[];
  joint_change: {
    name: string;
    reference: number[][];
    current: number[][];
    statistic: number;
    p: number;
    dof: number;
  }[];
}

const RELATIONSHIP_FIXTURE = 'relationships.json';

export function relationshipFixtures(dir: string = fixtureDir): RelationshipFixtures {
  return JSON.parse(readFileSync(join(dir, RELATIONSHIP_FIXTURE), 'utf8')) as RelationshipFixtures;
}

/** |a − b| ≤ tol · max(1, |b|): relative for large values, absolute near 0. */
export function close(actual: number, expected: number, tol = 1e-9): boolean {
  return actual === expected || Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
}

/** Relative agreement, for p-values far in the tail. */
export function relativeClose(actual: number, expected: number, tol = 1e-9): boolean {
  return actual === expected || Math.abs(actual - expected) <= tol * Math.abs(expected);
}
