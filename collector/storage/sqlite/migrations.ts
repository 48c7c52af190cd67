import type Database from 'better-sqlite3';

/**
 * Schema migrations keyed on `PRAGMA user_version`: one numbered list of steps, each run once, in
 * order, in its own transaction together with the version bump, so a crash mid-way leaves the
 * database at the last completed step.
 *
 * Storage's own span tables are step 1 (schema-v1.ts); other areas register theirs when the
 * store opens (SqliteStoreOptions.schemaSteps; the collector's list is collector/area-schema.ts).
 * Never edit or reorder a released step, because databases in the field have already run it.
 */
export interface Migration {
  /** 1 for the first step, then consecutive. */
  version: number;
  /** What the step does, for logs and errors. */
  name: string;
  up(db: Database.Database): void;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Checks that the steps are numbered 1, 2, 3 … without gaps; throws a MigrationError otherwise. */
export function checkSteps(steps: readonly Migration[]): void {
  steps.forEach((step, i) => {
    if (step.version !== i + 1) {
      throw new MigrationError(
        `migration step "${step.name}" is numbered ${step.version} but stands at position ${i + 1}`,
      );
    }
  });
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to the last step. Returns the versions applied (empty when already
 * current). Refuses a database from a newer build, whose schema this build cannot know.
 */
export function runMigrations(db: Database.Database, steps: readonly Migration[]): number[] {
  checkSteps(steps);
  const current = schemaVersion(db);
  if (current > steps.length) {
    throw new MigrationError(
      `the database has schema version ${current}, but this build of infertrace knows only up to ${steps.length}: ` +
        'run a newer infertrace, or point --db at another file',
    );
  }
  const applied: number[] = [];
  for (const step of steps.slice(current)) {
    db.transaction(() => {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }).immediate();
    applied.push(step.version);
  }
  return applied;
}
