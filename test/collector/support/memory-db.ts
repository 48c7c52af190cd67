import type Database from 'better-sqlite3';
import { AREA_SCHEMA_STEPS } from '../../../collector/area-schema.js';
import { openDatabase } from '../../../collector/storage/sqlite/open.js';
import { withSpanTables } from '../../../collector/storage/sqlite/schema-v1.js';
import type { SqliteStore, SqliteStoreOptions } from '../../../collector/storage/sqlite/sqlite-store.js';
import { openSqliteStore } from '../../../collector/storage/sqlite/sqlite-store.js';

/** A fresh SQLite database in memory with the collector's whole schema, for one area's store. */
export function memoryDatabase(): Database.Database {
  return openDatabase({ path: ':memory:' }, withSpanTables(AREA_SCHEMA_STEPS));
}

/** The SQLite span store on a fresh database in memory, with every area's tables. */
export function memorySpanStore(options: Omit<SqliteStoreOptions, 'path'> = {}): SqliteStore {
  return openSqliteStore({ path: ':memory:', schemaSteps: AREA_SCHEMA_STEPS, ...options });
}
