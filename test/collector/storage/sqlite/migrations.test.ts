import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  MigrationError,
  checkSteps,
  runMigrations,
  schemaVersion,
} from '../../../../collector/storage/sqlite/migrations.js';
import type { Migration } from '../../../../collector/storage/sqlite/migrations.js';
import { AREA_SCHEMA_STEPS } from '../../../../collector/area-schema.js';
import { withSpanTables } from '../../../../collector/storage/sqlite/schema-v1.js';

const step = (version: number, sql = `CREATE TABLE t${version} (x)`): Migration => ({
  version,
  name: `t${version}`,
  up: (db) => db.exec(sql),
});

describe('migrations', () => {
  it('runs every step once, in order, and records the version', () => {
    const db = new Database(':memory:');
    expect(runMigrations(db, [step(1), step(2)])).toEqual([1, 2]);
    expect(schemaVersion(db)).toBe(2);
    expect(runMigrations(db, [step(1), step(2)])).toEqual([]);
    expect(runMigrations(db, [step(1), step(2), step(3)])).toEqual([3]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 't%'").pluck().get()).toBe(3);
  });

  it('leaves the database at the last good step when a step fails', () => {
    const db = new Database(':memory:');
    expect(() => runMigrations(db, [step(1), step(2, 'CREATE TABLE oops ('), step(3)])).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'oops'").pluck().get()).toBe(0);
  });

  it.each([
    [[step(2)], 'numbered 2 but stands at position 1'],
    [[step(1), step(1)], 'numbered 1 but stands at position 2'],
    [[step(1), step(3)], 'numbered 3 but stands at position 2'],
  ])('refuses a step list with gaps or repeats (%#)', (steps, message) => {
    expect(() => checkSteps(steps)).toThrow(message);
  });

  it('refuses a database from a newer build', () => {
    const db = new Database(':memory:');
    runMigrations(db, [step(1), step(2)]);
    expect(() => runMigrations(db, [step(1)])).toThrow(MigrationError);
    expect(() => runMigrations(db, [step(1)])).toThrow(
      'schema version 2, but this build of infertrace knows only up to 1',
    );
  });

  it('numbers the shipped steps consecutively', () => {
    expect(() => checkSteps(withSpanTables(AREA_SCHEMA_STEPS))).not.toThrow();
  });
});
